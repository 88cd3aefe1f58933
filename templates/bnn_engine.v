// bnn_engine: engine controller and datapath (docs/engine.md is the contract); the walk of
// a tile's positions and beats is bnn_beat_walker, the beat's arithmetic bnn_pe_array, the
// write-back bnn_wb_slots.
//
// A layer-sequential binary-weight MAC engine. For every layer of the program it walks
// the layer's tiles (one group x one block of P output channels), every output position
// of a tile, and for every position the beats (tap ky, kx; channel block j; bit-plane p).
// One beat = one FM word of S activation lanes against one S-bit weight word per PE.
// Write-back forms the accumulator, counts thresholds (or keeps the raw value), pools
// groups of 2^xcp_log2 adjacent PEs with a max comparator tree (cross-channel max pooling,
// combinational in the write cycles) and writes one FM word per output bit-plane with a
// per-bit mask. A fused residual Add reads the residual's planes for the tile's channels
// (one FM word per plane) after acc is formed and adds (acc << sa) + (r << sb), or gates
// acc by it (ew_op).
//
// Engine v2 modes (docs/engine.md "Engine v2 modes"): signed inputs (the sign plane
// subtracts), lane mode (one channel per PE with a per-PE correction), max pooling over
// the taps, all-ones weights (no weight memory read), act x act products (a broadcast
// element read from FM before each tap's beats), strided output grids (out_x_step,
// out_y_step) and layers of several program words (end_layer).
//
// Segments (docs/engine.md "Segments"): a dense layer with few input channels per group
// may compute G = 2^seg_log2 neighbouring output positions per beat: FM port A returns FB
// consecutive words, segment g takes word g x in_k (the same tap of position x + g) onto
// lanes [g S/G, (g+1) S/G), each PE keeps G sums, each segment has its own write-back, and
// port B writes the G positions' words of a plane (and reads their residual planes) in one
// cycle. G = 1 (and SEGS = FB = 1) is the plain engine.
//
// Descriptor fields are read straight from the ROM output registers: a ROM's data stays
// valid while its address is held, and the engine holds pc (program) and tt_ptr (tile
// table) for the whole layer / tile. Field positions come from bnn_params.vh
// (localparams PM_<FIELD>_LSB / _W and TT_<FIELD>_LSB / _W, every one used here).
//
// Arithmetic uses only AND gates, popcount trees, shifts, adders and comparators.
// Address generation adds the step fields the lowering precomputed; FM addresses are
// kept modulo 2^FM_AW, so a window origin in the padding (a "negative" address) is
// harmless: padded positions never read memory, and every real position's address is
// exact modulo 2^FM_AW.
module bnn_engine #(
  parameter integer P     = 4,   // processing elements (output channels in parallel)
  parameter integer S     = 8,   // input lanes (bits of an FM word)
  parameter integer AW    = 16,  // accumulator width
  parameter integer TW    = 16,  // threshold / bias lane width (signed)
  parameter integer TS    = 2,   // TM slots per PE: the bias, then up to TS - 1 thresholds
  parameter integer CW    = 12,  // signed width of input coordinates
  parameter integer FM_AW = 10,  // address widths of the memories
  parameter integer WM_AW = 8,
  parameter integer TM_AW = 8,
  parameter integer TT_AW = 4,
  parameter integer PM_AW = 4,
  parameter integer PM_W  = 200, // program word width (sum of the PM field widths)
  parameter integer TT_W  = 100, // tile word width (sum of the TT field widths)
  parameter integer WM_W  = 32,  // weight word width = P x S
  parameter integer TM_W  = 132, // threshold word width = P x (TS x TW + 1)
  parameter integer LID_W = 8,   // width of layer_id (= PM_LAYER_ID_W)
  parameter integer LCW   = 32,  // width of the per-layer cycle counter
  parameter integer SEGS  = 1,   // most segments (output positions per PE and beat), a power of two
  parameter integer FB    = 1,   // FM words per access (consecutive, one per bank), a power of two
  parameter integer PEGS  = 1    // most PE groups (docs/engine.md "PE groups"), a power of two dividing P
) (
  input  wire                  clk,
  input  wire                  rst,          // synchronous, active high
  input  wire                  start,        // pulse: run the program from word 0
  output reg                   done,         // high from the end of the run to the next start
  output reg                   layer_done,   // one-cycle pulse after each layer's last cycle
  output reg  [LCW-1:0]        layer_cycles, // that layer's cycle count (valid with layer_done)
  output reg  [LID_W-1:0]      layer_id,     // that layer's id (valid with layer_done)
  // program memory PM
  output wire [PM_AW-1:0]      pm_addr,
  input  wire [PM_W-1:0]       pm_rdata,
  // tile table TT
  output wire [TT_AW-1:0]      tt_addr,
  input  wire [TT_W-1:0]       tt_rdata,
  // feature memory FM, two ports: A reads the beats, B serves the write-back (residual
  // reads, masked writes); each access covers FB consecutive words (word i at bits
  // [i x S +: S]), written words selected by fm_wen, all with the same lane mask
  output wire [FM_AW-1:0]             fm_a_addr,
  output wire [FM_AW-1:0]             fm_a_stride,  // words between an access's words (1, or a row pitch)
  input  wire [(S << $clog2(FB))-1:0] fm_a_rdata,
  output wire [FM_AW-1:0]             fm_b_addr,
  output wire [FM_AW-1:0]             fm_b_stride,
  output wire                         fm_we,
  output wire [FB-1:0]                fm_wen,
  output wire [(S << $clog2(FB))-1:0] fm_wdata,
  output wire [S-1:0]                 fm_wmask,
  input  wire [(S << $clog2(FB))-1:0] fm_b_rdata,
  // weight memory WM: one S-bit weight word per PE (PE i at lane i)
  output wire [WM_AW-1:0]      wm_addr,
  input  wire [WM_W-1:0]       wm_rdata,
  // threshold memory TM: one word per tile; per PE TS values of TW bits and a direction bit
  output wire [TM_AW-1:0]      tm_addr,
  input  wire [TM_W-1:0]       tm_rdata
);
  `include "bnn_params.vh"
  `include "bnn_offsets.vh"

  // ---------------------------------------------------------------------------------
  // Working widths
  // ---------------------------------------------------------------------------------
  // XW holds the accumulator and every threshold (the lowering makes AW >= TW; the
  // maximum keeps a hand-made configuration exact as well).
  localparam integer XW = AW > TW ? AW : TW;
  // QW holds a threshold count 0..n_thr (at least 2 bits so the plane index has a bit).
  localparam integer QW = PM_N_THR_W < 2 ? 2 : PM_N_THR_W;
  localparam integer PW    = PM_IN_K_W;        // input plane index
  localparam integer XIW   = $clog2(XW);       // bit index into the accumulator
  localparam integer QIW   = $clog2(QW);       // bit index into a threshold count
  localparam integer OPW   = XIW > QIW ? XIW : QIW;  // output plane index into either
  // A broadcast element has at most 2^PM_BC_K_W - 1 planes; wider than AW it would only wrap.
  localparam integer BW0   = (1 << PM_BC_K_W) - 1;
  localparam integer BW    = BW0 > AW ? AW : BW0;
  // Lane index within an FM word (as wide as the bc_lane0 field, which holds one).
  localparam integer LNW0  = S > 1 ? $clog2(S) : 1;
  localparam integer LNW   = LNW0 > PM_BC_LANE0_W ? LNW0 : PM_BC_LANE0_W;
  // The width of a position-group count (x + G stays below 3 OW: the lowering takes G < 2 OW).
  localparam integer XGW   = PM_OW_W + 2;
  // Positions per beat at most: SEGS segments in each of PEGS PE groups.
  localparam integer SLOTS = lane_offset(PEGS, SEGS);
  // Word index within an FM access (j x in_k for the window's positions j < FB, j x out_k,
  // j x res_k for the slots j < SLOTS; FB >= the slots a layer uses).
  localparam integer FL2   = $clog2(FB);
  localparam integer WIW   = (PM_IN_K_W > PM_OUT_K_W ? (PM_IN_K_W > PM_RES_K_W ? PM_IN_K_W : PM_RES_K_W)
                                                     : (PM_OUT_K_W > PM_RES_K_W ? PM_OUT_K_W : PM_RES_K_W)) + FL2 + 1;

  // ---------------------------------------------------------------------------------
  // Descriptor fields (program word: valid from ST_LLAT to the layer's last cycle;
  // tile word: valid from ST_TLAT to the tile's last cycle)
  // ---------------------------------------------------------------------------------
  wire [PM_IN_BASE_W-1:0]      f_in_base      = pm_rdata[PM_IN_BASE_LSB      +: PM_IN_BASE_W];
  wire [PM_PAD_STEP_W-1:0]     f_pad_step     = pm_rdata[PM_PAD_STEP_LSB     +: PM_PAD_STEP_W];
  wire [PM_IN_H_W-1:0]         f_in_h         = pm_rdata[PM_IN_H_LSB         +: PM_IN_H_W];
  wire [PM_IN_W_W-1:0]         f_in_w         = pm_rdata[PM_IN_W_LSB         +: PM_IN_W_W];
  wire [PM_IN_K_W-1:0]         f_in_k         = pm_rdata[PM_IN_K_LSB         +: PM_IN_K_W];
  wire [PM_PAD_ONE_W-1:0]      f_pad_one      = pm_rdata[PM_PAD_ONE_LSB      +: PM_PAD_ONE_W];
  wire [PM_OUT_BASE_W-1:0]     f_out_base     = pm_rdata[PM_OUT_BASE_LSB     +: PM_OUT_BASE_W];
  wire [PM_OUT_K_W-1:0]        f_out_k        = pm_rdata[PM_OUT_K_LSB        +: PM_OUT_K_W];
  wire [PM_OUT_RAW_W-1:0]      f_out_raw      = pm_rdata[PM_OUT_RAW_LSB      +: PM_OUT_RAW_W];
  wire [PM_N_THR_W-1:0]        f_n_thr        = pm_rdata[PM_N_THR_LSB        +: PM_N_THR_W];
  wire [PM_XCP_LOG2_W-1:0]     f_xcp_log2     = pm_rdata[PM_XCP_LOG2_LSB     +: PM_XCP_LOG2_W];
  wire [PM_RES_KIND_W-1:0]     f_res_kind     = pm_rdata[PM_RES_KIND_LSB     +: PM_RES_KIND_W];
  wire [PM_RES_BASE_W-1:0]     f_res_base     = pm_rdata[PM_RES_BASE_LSB     +: PM_RES_BASE_W];
  wire [PM_RES_K_W-1:0]        f_res_k        = pm_rdata[PM_RES_K_LSB        +: PM_RES_K_W];
  wire [PM_RES_PIX_STEP_W-1:0] f_res_pix_step = pm_rdata[PM_RES_PIX_STEP_LSB +: PM_RES_PIX_STEP_W];
  wire [PM_SA_W-1:0]           f_sa           = pm_rdata[PM_SA_LSB           +: PM_SA_W];
  wire [PM_SB_W-1:0]           f_sb           = pm_rdata[PM_SB_LSB           +: PM_SB_W];
  wire [PM_OH_W-1:0]           f_oh           = pm_rdata[PM_OH_LSB           +: PM_OH_W];
  wire [PM_OW_W-1:0]           f_ow           = pm_rdata[PM_OW_LSB           +: PM_OW_W];
  wire [PM_KH_W-1:0]           f_kh           = pm_rdata[PM_KH_LSB           +: PM_KH_W];
  wire [PM_KW_W-1:0]           f_kw           = pm_rdata[PM_KW_LSB           +: PM_KW_W];
  wire [PM_PT_W-1:0]           f_pt           = pm_rdata[PM_PT_LSB           +: PM_PT_W];
  wire [PM_PL_W-1:0]           f_pl           = pm_rdata[PM_PL_LSB           +: PM_PL_W];
  wire [PM_SY_W-1:0]           f_sy           = pm_rdata[PM_SY_LSB           +: PM_SY_W];
  wire [PM_SX_W-1:0]           f_sx           = pm_rdata[PM_SX_LSB           +: PM_SX_W];
  wire [PM_DY_W-1:0]           f_dy           = pm_rdata[PM_DY_LSB           +: PM_DY_W];
  wire [PM_DX_W-1:0]           f_dx           = pm_rdata[PM_DX_LSB           +: PM_DX_W];
  wire [PM_SY_STEP_W-1:0]      f_sy_step      = pm_rdata[PM_SY_STEP_LSB      +: PM_SY_STEP_W];
  wire [PM_SX_STEP_W-1:0]      f_sx_step      = pm_rdata[PM_SX_STEP_LSB      +: PM_SX_STEP_W];
  wire [PM_DY_STEP_W-1:0]      f_dy_step      = pm_rdata[PM_DY_STEP_LSB      +: PM_DY_STEP_W];
  wire [PM_DX_STEP_W-1:0]      f_dx_step      = pm_rdata[PM_DX_STEP_LSB      +: PM_DX_STEP_W];
  wire [PM_SC_W-1:0]           f_sc           = pm_rdata[PM_SC_LSB           +: PM_SC_W];
  wire [PM_SK_W-1:0]           f_sk           = pm_rdata[PM_SK_LSB           +: PM_SK_W];
  wire [PM_CORR_W-1:0]         f_corr         = pm_rdata[PM_CORR_LSB         +: PM_CORR_W];
  wire [PM_TILE_BASE_W-1:0]    f_tile_base    = pm_rdata[PM_TILE_BASE_LSB    +: PM_TILE_BASE_W];
  wire [PM_N_TILES_W-1:0]      f_n_tiles      = pm_rdata[PM_N_TILES_LSB      +: PM_N_TILES_W];
  wire [PM_OUT_X_STEP_W-1:0]   f_out_x_step   = pm_rdata[PM_OUT_X_STEP_LSB   +: PM_OUT_X_STEP_W];
  wire [PM_OUT_Y_STEP_W-1:0]   f_out_y_step   = pm_rdata[PM_OUT_Y_STEP_LSB   +: PM_OUT_Y_STEP_W];
  wire [PM_IN_SIGNED_W-1:0]    f_in_signed    = pm_rdata[PM_IN_SIGNED_LSB    +: PM_IN_SIGNED_W];
  wire [PM_LANE_MODE_W-1:0]    f_lane_mode    = pm_rdata[PM_LANE_MODE_LSB    +: PM_LANE_MODE_W];
  wire [PM_POOL_MAX_W-1:0]     f_pool_max     = pm_rdata[PM_POOL_MAX_LSB     +: PM_POOL_MAX_W];
  wire [PM_EW_OP_W-1:0]        f_ew_op        = pm_rdata[PM_EW_OP_LSB        +: PM_EW_OP_W];
  wire [PM_END_LAYER_W-1:0]    f_end_layer    = pm_rdata[PM_END_LAYER_LSB    +: PM_END_LAYER_W];
  wire [PM_ONES_W-1:0]         f_ones         = pm_rdata[PM_ONES_LSB         +: PM_ONES_W];
  wire [PM_BCAST_W-1:0]        f_bcast        = pm_rdata[PM_BCAST_LSB        +: PM_BCAST_W];
  wire [PM_BC_BASE_W-1:0]      f_bc_base      = pm_rdata[PM_BC_BASE_LSB      +: PM_BC_BASE_W];
  wire [PM_BC_K_W-1:0]         f_bc_k         = pm_rdata[PM_BC_K_LSB         +: PM_BC_K_W];
  wire [PM_BC_PER_TAP_W-1:0]   f_bc_per_tap   = pm_rdata[PM_BC_PER_TAP_LSB   +: PM_BC_PER_TAP_W];
  wire [PM_BC_WORD_STEP_W-1:0] f_bc_word_step = pm_rdata[PM_BC_WORD_STEP_LSB +: PM_BC_WORD_STEP_W];
  wire [PM_BC_CB_STEP_W-1:0]   f_bc_cb_step   = pm_rdata[PM_BC_CB_STEP_LSB   +: PM_BC_CB_STEP_W];
  wire [PM_IN_CB_STEP_W-1:0]   f_in_cb_step   = pm_rdata[PM_IN_CB_STEP_LSB   +: PM_IN_CB_STEP_W];
  wire [PM_BC_LANE0_W-1:0]     f_bc_lane0     = pm_rdata[PM_BC_LANE0_LSB     +: PM_BC_LANE0_W];
  wire [PM_BCORR_W-1:0]        f_bcorr        = pm_rdata[PM_BCORR_LSB        +: PM_BCORR_W];
  wire [PM_SBC_W-1:0]          f_sbc          = pm_rdata[PM_SBC_LSB          +: PM_SBC_W];
  wire [PM_INSIDE_COUNT_W-1:0] f_inside_count = pm_rdata[PM_INSIDE_COUNT_LSB +: PM_INSIDE_COUNT_W];
  wire [PM_SEG_LOG2_W-1:0]     f_seg_log2     = pm_rdata[PM_SEG_LOG2_LSB     +: PM_SEG_LOG2_W];
  wire [PM_PEG_LOG2_W-1:0]     f_peg_log2     = pm_rdata[PM_PEG_LOG2_LSB     +: PM_PEG_LOG2_W];
  wire [PM_RES_ROW_STEP_W-1:0] f_res_row_step = pm_rdata[PM_RES_ROW_STEP_LSB +: PM_RES_ROW_STEP_W];
  wire [PM_WIN_W-1:0]          f_win          = pm_rdata[PM_WIN_LSB          +: PM_WIN_W];
  wire [PM_VERT_W-1:0]         f_vert         = pm_rdata[PM_VERT_LSB         +: PM_VERT_W];
  wire [PM_LAYER_ID_W-1:0]     f_layer_id     = pm_rdata[PM_LAYER_ID_LSB     +: PM_LAYER_ID_W];
  wire [PM_LAST_W-1:0]         f_last         = pm_rdata[PM_LAST_LSB         +: PM_LAST_W];

  wire [TT_ACTIVE_W-1:0]       f_active       = tt_rdata[TT_ACTIVE_LSB       +: TT_ACTIVE_W];
  wire [TT_CB_OFF_W-1:0]       f_cb_off       = tt_rdata[TT_CB_OFF_LSB       +: TT_CB_OFF_W];
  wire [TT_NCB_W-1:0]          f_ncb          = tt_rdata[TT_NCB_LSB          +: TT_NCB_W];
  wire [TT_NCB_K_W-1:0]        f_ncb_k        = tt_rdata[TT_NCB_K_LSB        +: TT_NCB_K_W];
  wire [TT_LANE_LO_W-1:0]      f_lane_lo      = tt_rdata[TT_LANE_LO_LSB      +: TT_LANE_LO_W];
  wire [TT_LANE_HI_W-1:0]      f_lane_hi      = tt_rdata[TT_LANE_HI_LSB      +: TT_LANE_HI_W];
  wire [TT_WB_W-1:0]           f_wb           = tt_rdata[TT_WB_LSB           +: TT_WB_W];
  wire [TT_TB_W-1:0]           f_tb           = tt_rdata[TT_TB_LSB           +: TT_TB_W];
  wire [TT_OUT_OFF_W-1:0]      f_out_off      = tt_rdata[TT_OUT_OFF_LSB      +: TT_OUT_OFF_W];
  wire [TT_LANE0_W-1:0]        f_lane0        = tt_rdata[TT_LANE0_LSB        +: TT_LANE0_W];
  wire [TT_RES_LANE0_W-1:0]    f_res_lane0    = tt_rdata[TT_RES_LANE0_LSB    +: TT_RES_LANE0_W];
  wire [TT_RES_OFF_W-1:0]      f_res_off      = tt_rdata[TT_RES_OFF_LSB      +: TT_RES_OFF_W];

  // ---------------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------------
  // The controller walks layers and tiles, and through bnn_beat_walker the positions and
  // beats of each tile; the write-back unit (WB) takes each position's sums in the cycle
  // after its last beat's data arrived and works on them while the beats of the next
  // position run. The two share no state: a position starts at least W cycles after the
  // previous one (W = the WB's cycles per position), so the WB is free again when the next
  // sums arrive, and a tile ends when the WB has written its last position (ST_FLUSH).
  localparam [3:0] ST_IDLE  = 4'd0,   // waiting for start
                   ST_BOOT  = 4'd1,   // RUN_OVERHEAD: pc <= 0
                   ST_LRD   = 4'd2,   // LAYER_SETUP 1: program word address presented
                   ST_LLAT  = 4'd3,   // LAYER_SETUP 2: program word valid, tile pointer set
                   ST_TRD   = 4'd4,   // TILE_SETUP 1: tile word address presented
                   ST_TLAT  = 4'd5,   // TILE_SETUP 2: tile word valid, first position set up
                   ST_BEAT  = 4'd6,   // one cycle per beat: FM and WM addresses presented
                   ST_BC    = 4'd7,   // bc_k cycles before a tap's beats: broadcast element planes
                   ST_WAIT  = 4'd8,   // the next position waits for the WB (W > beats)
                   ST_FLUSH = 4'd9;   // the tile's last beats are done: the WB finishes
  // The WB forms acc in the cycle after the drain (wb_form: acc = cross << SC - corr << SK
  // + bias), then runs these states; every threshold is compared at once with the value
  // acc takes (acc and add cycles), and the write cycles read the registered result.
  localparam [1:0] WB_IDLE  = 2'd0,
                   WB_RES   = 2'd1,   // res_k cycles: residual plane addresses presented
                   WB_ADD   = 2'd2,   // last residual plane arrives: acc = (acc << sa) + (r << sb) (or gate)
                   WB_WRITE = 2'd3;   // one cycle per output plane: masked FM write

  reg  [3:0]              state;
  reg  [1:0]              wb_state;
  reg                     wb_form;     // this cycle forms acc of the position just drained
  reg                     wb_form_last; // ... the tile's last position
  reg  [PM_AW-1:0]        pc;          // program word of the current layer
  reg  [TT_AW-1:0]        tt_ptr;      // tile word of the current tile
  reg  [PM_N_TILES_W-1:0] tile_idx;    // tile number within the layer
  reg  [LCW-1:0]          lcyc;        // cycles of the current layer so far
  reg                     layer_open;  // the previous program word ended a layer (or none ran yet)
  // The width of W, the WB's cycles per position (the walker counts a position's cycles up to it).
  localparam integer WCW = (PM_OUT_K_W > PM_RES_K_W ? PM_OUT_K_W : PM_RES_K_W) + 2;

  // Write-back unit: the output and residual addresses of the position it works on.
  reg  [PM_OW_W-1:0]      wb_x;
  reg  [FM_AW-1:0]        out_row;     // FM address of output plane 0 of position (y, 0)
  reg  [FM_AW-1:0]        out_pos;     // FM address of output plane 0 of this position
  reg  [FM_AW-1:0]        res_row;     // FM address of residual plane 0 of position (y, 0)
  reg  [FM_AW-1:0]        res_pos;     // FM address of residual plane 0 of this position
  reg                     wb_tile_last; // the WB's position is the tile's last

  // Write-back counters: output plane.
  reg  [PM_OUT_K_W-1:0]   op;
  reg  [PM_RES_K_W-1:0]   rp;          // residual plane being read
  reg                     d_rvalid;    // a residual plane arrives this cycle
  reg  [PM_RES_K_W-1:0]   d_rplane;

  // ---------------------------------------------------------------------------------
  // Loop conditions of the controller and the WB
  // ---------------------------------------------------------------------------------
  // A position group is 2^(seg_log2 + peg_log2) positions of a row (the last may be short):
  // G segments in each of Q PE groups.
  localparam integer PMW = (PM_SEG_LOG2_W > PM_PEG_LOG2_W ? PM_SEG_LOG2_W : PM_PEG_LOG2_W) + 1;
  wire [PMW-1:0] pos_m  = PMW'(f_seg_log2) + PMW'(f_peg_log2);
  wire [XGW-1:0] x_step = XGW'(1) << pos_m;
  wire tile_last  = tile_idx == f_n_tiles - 1'b1;
  wire wb_x_last  = {2'b00, wb_x} + x_step >= XGW'(f_ow);
  wire op_last    = op == f_out_k - 1'b1;
  wire rp_last    = rp == f_res_k - 1'b1;
  wire bcast      = f_bcast != 0;
  wire per_tap    = f_bc_per_tap != 0;
  wire win        = f_win != 0;
  wire lane_mode  = f_lane_mode != 0;
  // res_kind: 0 none, 1 U(k) (unsigned planes), 2 B (stored bit u is 2u - 1), 3 I(w) (two's complement).
  wire [1:0] res_kind = 2'(f_res_kind);
  wire       has_res  = res_kind != 2'd0;
  // W: the WB's cycles per position after forming acc (residual reads + add, writes).
  wire [WCW-1:0] wb_cycles = (has_res ? WCW'(f_res_k) + WCW'(1) : WCW'(0)) + WCW'(f_out_k);

  // ---------------------------------------------------------------------------------
  // Positions and beats of the tile (bnn_beat_walker): FM port A and WM addresses, pad
  // tests, lane masks, the beat pipeline
  // ---------------------------------------------------------------------------------
  wire             b_last, tap_last, pos_last, bq_last, period_ok;
  wire [FM_AW-1:0] beat_addr;
  wire             d_valid, d_first, d_neg, d_tap_first, d_tap_last, d_bvalid, d_end, d_end_last;
  wire [FB-1:0]    d_pads;
  wire [PM_BC_K_W-1:0] d_bplane;
  wire [LNW-1:0]   d_blane;
  wire [PW-1:0]    d_plane;
  wire [S-1:0]     d_mask;
  wire [LNW0-1:0]  d_lane_sh;
  bnn_beat_walker #(
    .S(S), .CW(CW), .FM_AW(FM_AW), .WM_AW(WM_AW), .FB(FB), .PW(PW), .OHW(PM_OH_W), .OWW(PM_OW_W),
    .KHW(PM_KH_W), .KWW(PM_KW_W), .NCBW(TT_NCB_W), .NCKW(TT_NCB_K_W), .BKW(PM_BC_K_W), .SMW(PM_SEG_LOG2_W),
    .LLW(TT_LANE_LO_W), .LHW(TT_LANE_HI_W), .LNW0(LNW0), .LNW(LNW), .PMW(PMW), .XGW(XGW), .WCW(WCW)
  ) u_walker (
    .clk(clk), .rst(rst), .tile_start(state == ST_TLAT), .beat(state == ST_BEAT), .bc_read(state == ST_BC),
    .waiting(state == ST_WAIT), .wb_cycles(wb_cycles), .pos_m(pos_m), .x_step(x_step),
    .in_base(FM_AW'(f_in_base)), .pad_step(FM_AW'(f_pad_step)), .in_h(CW'(f_in_h)), .in_w(CW'(f_in_w)),
    .in_k(f_in_k), .oh(f_oh), .ow(f_ow), .kh(f_kh), .kw(f_kw), .pt(CW'(f_pt)), .pl(CW'(f_pl)),
    .sy(CW'(f_sy)), .sx(CW'(f_sx)), .dy(CW'(f_dy)), .dx(CW'(f_dx)),
    .sy_step(FM_AW'(f_sy_step)), .sx_step(FM_AW'(f_sx_step)), .dy_step(FM_AW'(f_dy_step)), .dx_step(FM_AW'(f_dx_step)),
    .in_cb_step(FM_AW'(f_in_cb_step)), .in_signed(f_in_signed != 0), .lane_mode(lane_mode), .win(win),
    .seg_m(f_seg_log2), .bc_base(FM_AW'(f_bc_base)), .bc_k(f_bc_k), .bc_per_tap(per_tap),
    .bc_word_step(FM_AW'(f_bc_word_step)), .bc_cb_step(FM_AW'(f_bc_cb_step)), .bc_lane0(LNW'(f_bc_lane0)),
    .cb_off(FM_AW'(f_cb_off)), .ncb(f_ncb), .ncb_k(f_ncb_k), .lane_lo(f_lane_lo), .lane_hi(f_lane_hi), .wb(WM_AW'(f_wb)),
    .b_last(b_last), .tap_last(tap_last), .pos_last(pos_last), .bq_last(bq_last), .period_ok(period_ok),
    .a_addr(beat_addr), .wm_addr(wm_addr),
    .d_valid(d_valid), .d_first(d_first), .d_pads(d_pads), .d_neg(d_neg), .d_tap_first(d_tap_first),
    .d_tap_last(d_tap_last), .d_bvalid(d_bvalid), .d_bplane(d_bplane), .d_blane(d_blane), .d_plane(d_plane),
    .d_mask(d_mask), .d_lane_sh(d_lane_sh), .d_end(d_end), .d_end_last(d_end_last));

  // ---------------------------------------------------------------------------------
  // Controller
  // ---------------------------------------------------------------------------------
  wire wb_finish  = (wb_state == WB_WRITE) & op_last;
  wire tile_end   = (state == ST_FLUSH) & wb_finish & wb_tile_last;
  wire part_end   = tile_end & tile_last;
  wire layer_end  = part_end & (f_end_layer != 0);
  wire [3:0] first_state = bcast ? ST_BC : ST_BEAT;

  always @(posedge clk) begin
    if (rst) begin
      state      <= ST_IDLE;
      done       <= 1'b0;
      layer_done <= 1'b0;
    end else begin
      layer_done <= layer_end;
      if (layer_end) begin
        layer_cycles <= lcyc + 1'b1;
        layer_id     <= LID_W'(f_layer_id);
      end
      // A layer's count runs from its first part's first cycle to its last part's last.
      lcyc <= (state == ST_LRD && layer_open) ? {{(LCW-1){1'b0}}, 1'b1} : lcyc + 1'b1;
      if (state == ST_BOOT) layer_open <= 1'b1;
      else if (part_end) layer_open <= f_end_layer != 0;

      case (state)
        ST_IDLE: if (start) begin
          done  <= 1'b0;
          state <= ST_BOOT;
        end
        ST_BOOT: begin
          pc    <= {PM_AW{1'b0}};
          state <= ST_LRD;
        end
        ST_LRD:  state <= ST_LLAT;
        ST_LLAT: begin
          tt_ptr   <= TT_AW'(f_tile_base);
          tile_idx <= {PM_N_TILES_W{1'b0}};
          state    <= ST_TRD;
        end
        ST_TRD:  state <= ST_TLAT;
        ST_TLAT: state <= first_state;
        ST_BC:   if (bq_last) state <= ST_BEAT;
        ST_BEAT: if (b_last) begin
          if (!tap_last) begin
            if (bcast) state <= ST_BC;
          end else if (pos_last) state <= ST_FLUSH;
          else state <= period_ok ? first_state : ST_WAIT;
        end
        ST_WAIT: if (period_ok) state <= first_state;
        ST_FLUSH: if (tile_end) begin
          if (!tile_last) begin
            tt_ptr   <= tt_ptr + 1'b1;
            tile_idx <= tile_idx + 1'b1;
            state    <= ST_TRD;
          end else if (f_last == 0) begin
            pc    <= pc + 1'b1;
            state <= ST_LRD;
          end else begin
            done  <= 1'b1;
            state <= ST_IDLE;
          end
        end
        default: state <= ST_IDLE;
      endcase
    end
  end

  // Write-back unit: forms a position's acc in the cycle after its drain (wb_form), then
  // reads and adds the residual and writes the planes. The period rule makes it free by
  // then: wb_form may coincide only with the last write of the previous position, which
  // still reads the old acc.
  always @(posedge clk) begin
    if (rst) begin
      wb_form  <= 1'b0;
      wb_state <= WB_IDLE;
    end else begin
      wb_form      <= d_end;
      wb_form_last <= d_end_last;
      if (wb_form) begin
        wb_state     <= has_res ? WB_RES : WB_WRITE;
        wb_tile_last <= wb_form_last;
      end else begin
        case (wb_state)
          WB_RES:   if (rp_last) wb_state <= WB_ADD;
          WB_ADD:   wb_state <= WB_WRITE;
          WB_WRITE: if (op_last) wb_state <= WB_IDLE;
          default:  wb_state <= WB_IDLE;
        endcase
      end
    end
  end

  // Write-back addresses: set per tile, advanced after each position's last write (output
  // grid: a row register advanced by out_y_step, positions by out_x_step).
  always @(posedge clk) begin
    if (state == ST_TLAT) begin
      wb_x    <= {PM_OW_W{1'b0}};
      out_row <= FM_AW'(f_out_base) + FM_AW'(f_out_off);
      out_pos <= FM_AW'(f_out_base) + FM_AW'(f_out_off);
      res_row <= FM_AW'(f_res_base) + FM_AW'(f_res_off);
      res_pos <= FM_AW'(f_res_base) + FM_AW'(f_res_off);
    end else if (wb_finish) begin
      // The residual walk, like the output's: a row register advanced by res_row_step (a
      // column's K words in the vertical walk), positions by res_pix_step.
      if (wb_x_last) begin
        res_row <= res_row + FM_AW'(f_res_row_step);
        res_pos <= res_row + FM_AW'(f_res_row_step);
        wb_x    <= {PM_OW_W{1'b0}};
        out_row <= out_row + FM_AW'(f_out_y_step);
        out_pos <= out_row + FM_AW'(f_out_y_step);
      end else begin
        res_pos <= res_pos + (FM_AW'(f_res_pix_step) << pos_m);
        wb_x    <= wb_x + PM_OW_W'(x_step);
        out_pos <= out_pos + (FM_AW'(f_out_x_step) << pos_m);
      end
    end
  end

  // Write-back counters.
  always @(posedge clk) begin
    if (wb_form) begin
      op <= {PM_OUT_K_W{1'b0}};
      rp <= {PM_RES_K_W{1'b0}};
    end else if (wb_state == WB_RES) begin
      rp <= rp + 1'b1;
    end else if (wb_state == WB_WRITE) begin
      op <= op + 1'b1;
    end
    d_rvalid <= wb_state == WB_RES;
    d_rplane <= rp;
  end

  // ---------------------------------------------------------------------------------
  // Datapath (bnn_pe_array): the segments' input words, P PEs, the corrections, the
  // broadcast elements, max pooling
  // ---------------------------------------------------------------------------------
  localparam integer FBS = S << $clog2(FB);
  localparam integer SA  = lane_offset(SEGS, AW);
  localparam integer SXW = lane_offset(SEGS, XW);
  localparam integer PAW = lane_offset(P, AW);
  localparam integer PXW = lane_offset(P, XW);
  wire pool_max  = f_pool_max != 0;
  // The vertical walk (docs/engine.md "Vertical walk") reads and writes one plane of
  // positions a row apart: strided accesses whose words are one position each.
  wire vert = f_vert != 0;
  // Neighbouring positions' inputs are sx_step = sx K words apart (a beat's access covers
  // them, so the value fits WIW whenever it is used).
  wire [WIW-1:0] in_pos_words  = vert ? WIW'(1) : WIW'(f_sx_step);
  wire [WIW-1:0] out_pos_words = vert ? WIW'(1) : WIW'(f_out_k);
  wire [WIW-1:0] res_pos_words = vert ? WIW'(1) : WIW'(f_res_k);
  assign fm_a_stride = vert ? FM_AW'(f_sx_step) : FM_AW'(1);
  // Port B reads the residual planes of the G positions a residual row apart, and writes
  // the output planes an output row apart (the regions' pitches may differ).
  assign fm_b_stride = !vert ? FM_AW'(1) : fm_we ? FM_AW'(f_out_x_step) : FM_AW'(f_res_pix_step);

  wire [lane_offset(P, SA)-1:0]      pe_sums, pe_own_sums, pe_grp_corrs;
  wire [PXW-1:0]                     corr_terms0;
  wire [PAW-1:0]                     tap_maxes;
  wire [SXW-1:0]                     bcorr_terms;
  wire [lane_offset(SLOTS, S)-1:0]   res_words;
  wire [lane_offset(SLOTS, WIW)-1:0] out_idxs;
  bnn_pe_array #(
    .P(P), .S(S), .AW(AW), .XW(XW), .PW(PW), .BW(BW), .SEGS(SEGS), .PEGS(PEGS), .SLOTS(SLOTS), .FB(FB), .FBS(FBS),
    .WIW(WIW), .SMW(PM_SEG_LOG2_W), .PGW(PM_PEG_LOG2_W), .LLW(TT_LANE_LO_W), .LSW(LNW0), .LNW(LNW), .KWW(PM_KW_W),
    .BKW(PM_BC_K_W), .SKW(PM_SK_W), .SBCW(PM_SBC_W), .PS(lane_offset(P, S)), .PSA(lane_offset(P, SA)), .PXW(PXW),
    .PAW(PAW), .SX(SXW), .SS(lane_offset(SLOTS, S)), .SI(lane_offset(SLOTS, WIW))
  ) u_pe_array (
    .clk(clk), .a_words(fm_a_rdata), .b_words(fm_b_rdata), .wm_word(wm_rdata),
    .d_valid(d_valid), .d_first(d_first), .d_neg(d_neg), .d_plane(d_plane), .d_tap_first(d_tap_first),
    .d_tap_last(d_tap_last), .d_pads(d_pads), .d_mask(d_mask), .d_lane_sh(d_lane_sh), .d_bvalid(d_bvalid),
    .d_bplane(d_bplane), .d_blane(d_blane),
    .seg_m(f_seg_log2), .peg_m(f_peg_log2), .lane_mode(lane_mode), .win(win), .kw(f_kw), .pad_one(f_pad_one != 0),
    .lane_lo(f_lane_lo), .in_pos_words(in_pos_words), .out_pos_words(out_pos_words), .res_pos_words(res_pos_words),
    .bcast(bcast), .bc_per_tap(per_tap), .bc_k(WIW'(f_bc_word_step)), .pool_max(pool_max), .ones(f_ones != 0),
    .inside_count(f_inside_count != 0), .corr_on(f_corr != 0), .sk(f_sk), .bcorr_on(f_bcorr != 0), .sbc(f_sbc),
    .pe_sums(pe_sums), .pe_own_sums(pe_own_sums), .pe_grp_corrs(pe_grp_corrs), .corr_terms0(corr_terms0),
    .tap_maxes(tap_maxes), .bcorr_terms(bcorr_terms), .res_words(res_words), .out_idxs(out_idxs));

  // ---------------------------------------------------------------------------------
  // Write-back of the beat's position slots (bnn_wb_slots): one bnn_wb_segment per
  // segment, all in the same cycles
  // ---------------------------------------------------------------------------------
  // TM lane of one PE: TS values of TW bits, then the direction bit.
  localparam integer TML  = lane_offset(TS, TW) + 1;
  localparam integer QALL = lane_offset(P, QW);
  // Stored lanes of this tile: active / G (G = 2^xcp_log2 divides active).
  wire [TT_ACTIVE_W-1:0] stored = f_active >> f_xcp_log2;
  wire [P-1:0] active_mask = ~({P{1'b1}} << stored);
  // res_kind: I(w)'s top plane counts negative; a gate (ew_op) is one plane: U(1) zeroes acc
  // where it is 0, B negates acc where its stored bit is 0 (-1).
  wire         res_neg  = (res_kind == 2'd3) & (d_rplane == f_res_k - 1'b1);
  wire         res_bip  = res_kind == 2'd2;
  wire         ew_gate  = f_ew_op != 0;
  wire [S-1:0] lane_wmask = S'(active_mask) << f_lane0;
  localparam integer WRW = FBS + FB;
  wire [WRW-1:0] write_all;
  bnn_wb_slots #(
    .P(P), .S(S), .AW(AW), .XW(XW), .TW(TW), .TS(TS), .TML(TML), .TMW(TM_W), .QW(QW), .QALL(QALL),
    .PAW(PAW), .PXW(PXW), .NTW(PM_N_THR_W), .SCW(PM_SC_W), .SKW(PM_SK_W), .SAW(PM_SA_W), .SBW(PM_SB_W),
    .RPW(PM_RES_K_W), .XIW(XIW), .QIW(QIW), .OPW(OPW), .SEGS(SEGS), .PEGS(PEGS), .SLOTS(SLOTS),
    .FB(FB), .FBS(FBS), .WRW(WRW), .WIW(WIW), .SMW(PM_SEG_LOG2_W), .PGW(PM_PEG_LOG2_W), .XGW(XGW),
    .L0W(TT_LANE0_W), .R0W(TT_RES_LANE0_W), .XCW(PM_XCP_LOG2_W), .SA(SA), .SX(SXW), .PSA(lane_offset(P, SA)),
    .SS(lane_offset(SLOTS, S)), .SI(lane_offset(SLOTS, WIW))
  ) u_wb_slots (
    .clk(clk), .form(wb_form), .res_step(wb_state == WB_RES), .add(wb_state == WB_ADD), .pool_max(pool_max),
    .pe_sums(pe_sums), .own_sums(pe_own_sums), .grp_corrs(pe_grp_corrs), .lane_mode(lane_mode),
    .corr_on(f_corr != 0), .sk(f_sk), .corr_terms0(corr_terms0), .tap_maxes(tap_maxes), .bcorr_terms(bcorr_terms),
    .sc(f_sc), .tm_word(tm_rdata), .n_thr(f_n_thr), .rvalid(d_rvalid), .rplane(d_rplane),
    .res_words(res_words), .res_lane0(f_res_lane0), .res_neg(res_neg), .res_bip(res_bip), .ew_gate(ew_gate),
    .sa(f_sa), .sb(f_sb), .op(OPW'(op)), .out_raw(f_out_raw != 0), .xcp_log2(f_xcp_log2),
    .out_idxs(out_idxs), .wb_x({2'b00, wb_x}), .ow(XGW'(f_ow)), .seg_m(f_seg_log2), .peg_m(f_peg_log2),
    .lane0(f_lane0), .write(write_all));
  wire [FBS-1:0] wdata_all = write_all[FBS-1:0];
  wire [FB-1:0]  wen_all   = write_all[FBS +: FB];

  // ---------------------------------------------------------------------------------
  // Memory ports
  // ---------------------------------------------------------------------------------
  assign pm_addr  = pc;
  assign tt_addr  = tt_ptr;
  // TM: the tile's one word, held for the whole tile.
  assign tm_addr  = TM_AW'(f_tb);
  // FM port A: beats and broadcast elements (reads); port B: the WB's residual reads and writes.
  assign fm_a_addr = beat_addr;
  assign fm_we     = wb_state == WB_WRITE;
  assign fm_b_addr = fm_we ? out_pos + FM_AW'(op) : res_pos + FM_AW'(rp);
  // The tile's stored lanes lie in one FM word of each position (docs/engine.md "Views"): lane0 + i.
  assign fm_wen    = wen_all;
  assign fm_wdata  = wdata_all;
  assign fm_wmask  = lane_wmask;
endmodule
