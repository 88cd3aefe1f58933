// bnn_engine: engine controller and datapath (docs/engine.md is the contract); the beat's
// arithmetic is bnn_pe_array, the write-back bnn_wb_slots.
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

  // v x n for a constant n: v shifted by each set bit of n, added (no multiplier).
  function [CW-1:0] times_const(input [CW-1:0] v, input integer n);
    integer b;
    begin
      times_const = {CW{1'b0}};
      for (b = 0; b < 31; b = b + 1) if (((n >> b) & 1) != 0) times_const = times_const + (v << b);
    end
  endfunction
  // lane x width at elaboration: every call has constant arguments (a bit offset or a
  // width), so this is a constant, never a multiplier (EngineSourceTests checks both).
  function integer lane_offset(input integer lane, input integer width);
    begin
      lane_offset = lane * width;
    end
  endfunction

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
  // The controller walks layers, tiles, positions and beats; the write-back unit (WB)
  // takes each position's sums in the cycle after its last beat's data arrived and works on
  // them while the beats of the next position run. The two share no state: a position
  // starts at least W cycles after the previous one (W = the WB's cycles per position), so
  // the WB is free again when the next sums arrive, and a tile ends when the WB has
  // written its last position (ST_FLUSH).
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

  // Output position (y, x) and its window origin (iy0, ix0) = (y sy - pt, x sx - pl).
  reg  [PM_OH_W-1:0]      y;
  reg  [PM_OW_W-1:0]      x;
  reg  [CW-1:0]           iy0, ix0;
  reg  [FM_AW-1:0]        row_addr;    // FM address of window origin (iy0, -pl) + cb_off
  reg  [FM_AW-1:0]        pos_addr;    // FM address of window origin (iy0, ix0) + cb_off
  // Cycles since this position's first cycle (counted up to W): the next position may start
  // once it reaches W.
  localparam integer WCW = (PM_OUT_K_W > PM_RES_K_W ? PM_OUT_K_W : PM_RES_K_W) + 2;
  reg  [WCW-1:0]          pos_cyc;

  // Write-back unit: the output and residual addresses of the position it works on.
  reg  [PM_OW_W-1:0]      wb_x;
  reg  [FM_AW-1:0]        out_row;     // FM address of output plane 0 of position (y, 0)
  reg  [FM_AW-1:0]        out_pos;     // FM address of output plane 0 of this position
  reg  [FM_AW-1:0]        res_row;     // FM address of residual plane 0 of position (y, 0)
  reg  [FM_AW-1:0]        res_pos;     // FM address of residual plane 0 of this position
  reg                     wb_tile_last; // the WB's position is the tile's last

  // Beat counters within a position: tap (ky, kx) at input (iy, ix), beat b of the
  // tap's ncb_k words = block j, plane p.
  reg  [PM_KH_W-1:0]      ky;
  reg  [PM_KW_W-1:0]      kx;
  reg  [CW-1:0]           iy, ix;
  reg  [FM_AW-1:0]        tap_row;     // FM address of tap (ky, 0)
  reg  [FM_AW-1:0]        tap_addr;    // FM address of tap (ky, kx), beat 0
  reg  [FM_AW-1:0]        blk_addr;    // FM address of the tap's current block, plane 0
  reg  [FM_AW-1:0]        rd_ptr;      // FM address of this beat
  reg  [TT_NCB_K_W-1:0]   b;
  reg  [PW-1:0]           p;
  reg  [TT_NCB_W-1:0]     j;
  reg  [LNW0-1:0]         lane_sh;     // dense segments: the first lane of this run block in its block
  reg  [WM_AW-1:0]        wm_ptr;
  reg                     first_beat;

  // Write-back counters: output plane.
  reg  [PM_OUT_K_W-1:0]   op;
  reg  [PM_RES_K_W-1:0]   rp;          // residual plane being read

  // Broadcast element of an act x act product (docs/engine.md "Activation x activation
  // products"): its word is a base plus a multiple of bc_word_step, its channel a lane and
  // a block offset. One of the two moves per tap and restarts per position, the other moves
  // per position and restarts per tile (which one: bc_per_tap).
  reg  [FM_AW-1:0]        bc_pos_word; // word part at this position's first tap
  reg  [LNW-1:0]          bc_pos_lane; // channel lane and block offset at this position's first tap
  reg  [FM_AW-1:0]        bc_pos_off;
  reg  [FM_AW-1:0]        bc_word;     // the same for the current tap
  reg  [LNW-1:0]          bc_lane;
  reg  [FM_AW-1:0]        bc_off;
  reg  [PM_BC_K_W-1:0]    bq;          // element plane being read

  // Beat pipeline: what the data arriving this cycle belongs to.
  reg                     d_valid, d_first;
  reg  [FB-1:0]           d_pads;      // per input position j of the access: it is padding
  reg                     d_neg;       // the beat is the sign plane of a signed input
  reg                     d_tap_first, d_tap_last;
  reg                     d_bvalid;    // a broadcast element plane arrives this cycle
  reg  [PM_BC_K_W-1:0]    d_bplane;
  reg  [LNW-1:0]          d_blane;
  reg  [PW-1:0]           d_plane;
  reg  [S-1:0]            d_mask;
  reg  [LNW0-1:0]         d_lane_sh;
  reg                     d_rvalid;    // a residual plane arrives this cycle
  reg                     d_end;       // the position's last beat's data arrives (drain)
  reg                     d_end_last;  // ... and it is the tile's last position
  reg  [PM_RES_K_W-1:0]   d_rplane;

  // ---------------------------------------------------------------------------------
  // Loop conditions
  // ---------------------------------------------------------------------------------
  wire p_last     = p == f_in_k - 1'b1;
  wire b_last     = b == f_ncb_k - 1'b1;
  // The window (docs/engine.md "Window"): one beat carries a whole window row, so kx stays 0.
  wire win        = f_win != 0;
  wire kx_last    = win | (kx == f_kw - 1'b1);
  wire ky_last    = ky == f_kh - 1'b1;
  // A position group is 2^(seg_log2 + peg_log2) positions of a row (the last may be short):
  // G segments in each of Q PE groups.
  localparam integer PMW = (PM_SEG_LOG2_W > PM_PEG_LOG2_W ? PM_SEG_LOG2_W : PM_PEG_LOG2_W) + 1;
  wire [PMW-1:0] pos_m  = PMW'(f_seg_log2) + PMW'(f_peg_log2);
  wire [XGW-1:0] x_step = XGW'(1) << pos_m;
  wire x_last     = {2'b00, x} + x_step >= XGW'(f_ow);
  wire y_last     = y == f_oh - 1'b1;
  wire tile_last  = tile_idx == f_n_tiles - 1'b1;
  wire wb_x_last  = {2'b00, wb_x} + x_step >= XGW'(f_ow);
  wire op_last    = op == f_out_k - 1'b1;
  wire rp_last    = rp == f_res_k - 1'b1;
  wire bq_last    = bq == f_bc_k - 1'b1;
  wire bcast      = f_bcast != 0;
  wire tap_last   = kx_last & ky_last;
  // Dense segments read a group in run blocks of S >> seg_log2 lanes (docs/engine.md
  // "Segments"): from lane lane_lo of the first block on, the next block once a block's
  // runs are used up.
  wire run_blocks = (f_lane_mode == {PM_LANE_MODE_W{1'b0}}) & (f_seg_log2 != {PM_SEG_LOG2_W{1'b0}});
  wire [LNW0:0]  run_lanes = (LNW0+1)'(S) >> f_seg_log2;
  wire [LNW0:0]  next_sh   = {1'b0, lane_sh} + run_lanes;
  wire run_wrap   = !run_blocks | (next_sh == (LNW0+1)'(S));
  wire [LNW0-1:0] first_sh = run_blocks ? LNW0'(f_lane_lo) : {LNW0{1'b0}};
  // res_kind: 0 none, 1 U(k) (unsigned planes), 2 B (stored bit u is 2u - 1), 3 I(w) (two's complement).
  wire [1:0] res_kind = 2'(f_res_kind);
  wire       has_res  = res_kind != 2'd0;
  wire pos_last   = x_last & y_last;
  // W: the WB's cycles per position after forming acc (residual reads + add, writes).
  wire [WCW-1:0] wb_cycles = (has_res ? WCW'(f_res_k) + WCW'(1) : WCW'(0)) + WCW'(f_out_k);
  wire period_ok  = pos_cyc >= wb_cycles;

  // ---------------------------------------------------------------------------------
  // Next output position (used when a position starts: after ST_TLAT, or next_pos)
  // ---------------------------------------------------------------------------------
  wire [CW-1:0]    neg_pt = {CW{1'b0}} - CW'(f_pt);
  wire [CW-1:0]    neg_pl = {CW{1'b0}} - CW'(f_pl);
  wire             new_tile = state == ST_TLAT;
  wire             new_row  = new_tile | x_last;
  wire [PM_OH_W-1:0] nx_y   = new_tile ? {PM_OH_W{1'b0}} : (x_last ? y + 1'b1 : y);
  wire [PM_OW_W-1:0] nx_x   = new_row ? {PM_OW_W{1'b0}} : x + PM_OW_W'(x_step);
  wire [CW-1:0]    nx_iy0   = new_tile ? neg_pt : (x_last ? iy0 + CW'(f_sy) : iy0);
  wire [CW-1:0]    nx_ix0   = new_row ? neg_pl : ix0 + (CW'(f_sx) << pos_m);
  // Origin (-pt, -pl) of the input region, shifted to the tile's first channel block.
  wire [FM_AW-1:0] org_addr = FM_AW'(f_in_base) - FM_AW'(f_pad_step) + FM_AW'(f_cb_off);
  wire [FM_AW-1:0] nx_row   = new_tile ? org_addr
                            : (x_last ? row_addr + FM_AW'(f_sy_step) : row_addr);
  wire [FM_AW-1:0] nx_pos   = new_row ? nx_row : pos_addr + (FM_AW'(f_sx_step) << pos_m);
  // Broadcast element channel: the next lane, wrapping into the next block (bc_cb_step words on)
  // (the lowering makes bc_lane0 < S, so no division is needed).
  // With G = 2^seg_log2 segments a position group is G columns: the channel lane moves G
  // lanes (the lowering keeps bc_lane0 a multiple of G, so a group never crosses a block), or
  // the word G element steps.
  wire             per_tap     = f_bc_per_tap != 0;
  wire [LNW:0]     pos_lane_g  = {1'b0, bc_pos_lane} + ((LNW+1)'(1) << f_seg_log2);
  wire             pos_wrap    = pos_lane_g == (LNW+1)'(S);
  wire [LNW-1:0]   pos_lane_nx = pos_wrap ? {LNW{1'b0}} : pos_lane_g[LNW-1:0];
  wire [FM_AW-1:0] pos_off_nx  = pos_wrap ? bc_pos_off + FM_AW'(f_bc_cb_step) : bc_pos_off;
  wire             tap_wrap    = {1'b0, bc_lane} == (LNW+1)'(S - 1);
  wire [LNW-1:0]   tap_lane_nx = tap_wrap ? {LNW{1'b0}} : bc_lane + 1'b1;
  wire [FM_AW-1:0] tap_off_nx  = tap_wrap ? bc_off + FM_AW'(f_bc_cb_step) : bc_off;
  wire [FM_AW-1:0] nx_bc_word  = new_tile ? FM_AW'(f_bc_base)
                               : (per_tap ? bc_pos_word + (FM_AW'(f_bc_word_step) << f_seg_log2) : bc_pos_word);
  wire [LNW-1:0]   nx_bc_lane  = new_tile ? LNW'(f_bc_lane0) : (per_tap ? bc_pos_lane : pos_lane_nx);
  wire [FM_AW-1:0] nx_bc_off   = new_tile ? {FM_AW{1'b0}} : (per_tap ? bc_pos_off : pos_off_nx);

  // ---------------------------------------------------------------------------------
  // Pad detection and lane mask of the current beat
  // ---------------------------------------------------------------------------------
  // Position slot j reads input column ix + j sx (same row; the window, at stride 1, its
  // position j): each has its own pad test.
  wire row_out = iy[CW-1] | ($signed(iy) >= $signed(CW'(f_in_h)));
  wire [FB-1:0] pad_segs;
  genvar sg;
  generate
    for (sg = 0; sg < FB; sg = sg + 1) begin : g_seg_pad
      wire [CW-1:0] ixg = ix + times_const(CW'(f_sx), sg);
      assign pad_segs[sg] = row_out | ixg[CW-1] | ($signed(ixg) >= $signed(CW'(f_in_w)));
    end
  endgenerate
  // Lane l of block j is a real input of the group iff it is not below lane_lo in the
  // first block and not at or above lane_hi in the last block (only those two blocks
  // of a group's range can be partial). The two limits are thermometer masks made by
  // shifting all-ones (lanes >= lane_lo; lanes < lane_hi, lane_hi = S keeping all).
  wire          blk_first = j == {TT_NCB_W{1'b0}};
  wire          blk_last  = j == f_ncb - 1'b1;
  wire [S-1:0]  from_lo   = {S{1'b1}} << f_lane_lo;
  wire [S-1:0]  below_hi  = ~({S{1'b1}} << f_lane_hi);
  // Run blocks are shifted down to lane 0 before the mask: only the last one is partial.
  wire [S-1:0]  lane_mask = run_blocks ? (blk_last ? below_hi : {S{1'b1}})
                          : (blk_first ? from_lo : {S{1'b1}}) & (blk_last ? below_hi : {S{1'b1}});

  // ---------------------------------------------------------------------------------
  // Controller
  // ---------------------------------------------------------------------------------
  wire beats_done = (state == ST_BEAT) & b_last & tap_last;
  wire wb_finish  = (wb_state == WB_WRITE) & op_last;
  wire tile_end   = (state == ST_FLUSH) & wb_finish & wb_tile_last;
  wire part_end   = tile_end & tile_last;
  wire layer_end  = part_end & (f_end_layer != 0);
  // The next position starts after this one's beats, once W cycles of it have passed.
  wire next_pos   = ((beats_done & !pos_last) | (state == ST_WAIT)) & period_ok;
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

  // Position and beat counters.
  wire enter_position = (state == ST_TLAT) | next_pos;

  always @(posedge clk) begin
    if (enter_position) begin
      y          <= nx_y;
      x          <= nx_x;
      iy0        <= nx_iy0;
      ix0        <= nx_ix0;
      row_addr   <= nx_row;
      pos_addr   <= nx_pos;
      bc_pos_word <= nx_bc_word;
      bc_pos_lane <= nx_bc_lane;
      bc_pos_off  <= nx_bc_off;
      bc_word    <= nx_bc_word;
      bc_lane    <= nx_bc_lane;
      bc_off     <= nx_bc_off;
      ky         <= {PM_KH_W{1'b0}};
      kx         <= {PM_KW_W{1'b0}};
      iy         <= nx_iy0;
      ix         <= nx_ix0;
      tap_row    <= nx_pos;
      tap_addr   <= nx_pos;
      blk_addr   <= nx_pos;
      rd_ptr     <= nx_pos;
      b          <= {TT_NCB_K_W{1'b0}};
      p          <= {PW{1'b0}};
      j          <= {TT_NCB_W{1'b0}};
      lane_sh    <= first_sh;
      wm_ptr     <= WM_AW'(f_wb);
      first_beat <= 1'b1;
    end else if (state == ST_BEAT) begin
      first_beat <= 1'b0;
      if (p_last) begin
        // next channel block (or next tap): the weight word advances
        p      <= {PW{1'b0}};
        j      <= j + 1'b1;
        wm_ptr <= wm_ptr + 1'b1;
      end else begin
        p <= p + 1'b1;
      end
      if (!b_last) begin
        b <= b + 1'b1;
        // Planes of a block are consecutive words; the next block is a block image further
        // (the next run block of the same block reads its words again, S >> seg_log2 lanes on).
        if (p_last & !run_wrap) begin
          lane_sh  <= next_sh[LNW0-1:0];
          rd_ptr   <= blk_addr;
        end else if (p_last) begin
          lane_sh  <= {LNW0{1'b0}};
          blk_addr <= blk_addr + FM_AW'(f_in_cb_step);
          rd_ptr   <= blk_addr + FM_AW'(f_in_cb_step);
        end else begin
          rd_ptr <= rd_ptr + 1'b1;
        end
      end else begin
        b    <= {TT_NCB_K_W{1'b0}};
        j    <= {TT_NCB_W{1'b0}};
        lane_sh <= first_sh;
        // The next tap's broadcast element: the channel moves (per tap) or the word does.
        if (per_tap) begin
          bc_lane <= tap_lane_nx;
          bc_off  <= tap_off_nx;
        end else begin
          bc_word <= bc_word + FM_AW'(f_bc_word_step);
        end
        if (!kx_last) begin
          kx       <= kx + 1'b1;
          ix       <= ix + CW'(f_dx);
          tap_addr <= tap_addr + FM_AW'(f_dx_step);
          blk_addr <= tap_addr + FM_AW'(f_dx_step);
          rd_ptr   <= tap_addr + FM_AW'(f_dx_step);
        end else begin
          kx <= {PM_KW_W{1'b0}};
          ix <= ix0;
          if (!ky_last) begin
            ky       <= ky + 1'b1;
            iy       <= iy + CW'(f_dy);
            tap_row  <= tap_row + FM_AW'(f_dy_step);
            tap_addr <= tap_row + FM_AW'(f_dy_step);
            blk_addr <= tap_row + FM_AW'(f_dy_step);
            rd_ptr   <= tap_row + FM_AW'(f_dy_step);
          end
        end
      end
    end
  end

  // pos_cyc: 1 in a position's first cycle, counting up to W.
  always @(posedge clk) begin
    if (enter_position) pos_cyc <= {{(WCW-1){1'b0}}, 1'b1};
    else if (!period_ok) pos_cyc <= pos_cyc + 1'b1;
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
    bq <= (state == ST_BC) ? bq + 1'b1 : {PM_BC_K_W{1'b0}};
  end

  // Beat pipeline registers (data of this beat arrives next cycle).
  always @(posedge clk) begin
    if (rst) begin
      d_valid <= 1'b0;
      d_end   <= 1'b0;
    end else begin
      d_valid <= state == ST_BEAT;
      d_end   <= beats_done;
    end
    d_end_last <= pos_last;
    d_rvalid <= wb_state == WB_RES;
    d_rplane <= rp;
    d_bvalid <= state == ST_BC;
    d_bplane <= bq;
    d_blane  <= bc_lane;
    d_neg    <= (f_in_signed != 0) & p_last;
    d_tap_first <= b == {TT_NCB_K_W{1'b0}};
    d_tap_last  <= b_last;
    d_first <= first_beat;
    d_plane <= p;
    d_pads  <= pad_segs;
    d_mask  <= lane_mask;
    d_lane_sh <= lane_sh;
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
  wire lane_mode = f_lane_mode != 0;
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
  assign wm_addr  = wm_ptr;
  // TM: the tile's one word, held for the whole tile.
  assign tm_addr  = TM_AW'(f_tb);
  // FM port A: beats and broadcast elements (reads); port B: the WB's residual reads and writes.
  assign fm_a_addr = (state == ST_BC) ? bc_word + bc_off + FM_AW'(bq) : rd_ptr;
  assign fm_we     = wb_state == WB_WRITE;
  assign fm_b_addr = fm_we ? out_pos + FM_AW'(op) : res_pos + FM_AW'(rp);
  // The tile's stored lanes lie in one FM word of each position (docs/engine.md "Views"): lane0 + i.
  assign fm_wen    = wen_all;
  assign fm_wdata  = wdata_all;
  assign fm_wmask  = lane_wmask;
endmodule
