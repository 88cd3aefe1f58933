// bnn_engine: engine v1 controller and datapath (docs/engine.md is the contract).
//
// A layer-sequential binary-weight MAC engine. For every layer of the program it walks
// the layer's tiles (one group x one block of P output channels), every output position
// of a tile, and for every position the beats (tap ky, kx; channel block j; bit-plane p).
// One beat = one FM word of S activation lanes against one S-bit weight word per PE.
// Write-back forms the accumulator, counts thresholds (or keeps the raw value), pools
// groups of 2^xcp_log2 adjacent PEs with a max comparator tree (cross-channel max pooling,
// combinational in the write cycles) and writes one FM word per output bit-plane with a
// per-bit mask. A fused residual Add reads the residual's planes for the tile's channels
// (one FM word per plane) after acc is formed and adds (acc << sa) + (r << sb).
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
  parameter integer CW    = 12,  // signed width of input coordinates
  parameter integer FM_AW = 10,  // address widths of the memories
  parameter integer WM_AW = 8,
  parameter integer TM_AW = 8,
  parameter integer TT_AW = 4,
  parameter integer PM_AW = 4,
  parameter integer PM_W  = 200, // program word width (sum of the PM field widths)
  parameter integer TT_W  = 100, // tile word width (sum of the TT field widths)
  parameter integer WM_W  = 32,  // weight word width = P x S
  parameter integer TM_W  = 68,  // threshold word width = P x (TW + 1)
  parameter integer LID_W = 8,   // width of layer_id (= PM_LAYER_ID_W)
  parameter integer LCW   = 32   // width of the per-layer cycle counter
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
  // feature memory FM (one port: reads during beats, masked writes during write-back)
  output wire [FM_AW-1:0]      fm_addr,
  output wire                  fm_we,
  output wire [S-1:0]          fm_wdata,
  output wire [S-1:0]          fm_wmask,
  input  wire [S-1:0]          fm_rdata,
  // weight memory WM: one S-bit weight word per PE (PE i at lane i)
  output wire [WM_AW-1:0]      wm_addr,
  input  wire [WM_W-1:0]       wm_rdata,
  // threshold memory TM: one {dir, value} lane of TW + 1 bits per PE
  output wire [TM_AW-1:0]      tm_addr,
  input  wire [TM_W-1:0]       tm_rdata
);
  `include "bnn_params.vh"

  // Bit offset of lane `lane` of a word made of `width`-bit lanes (lane x width), by
  // repeated addition: an elaboration-time constant, so the RTL holds no multiplier.
  function integer lane_offset(input integer lane, input integer width);
    integer k;
    begin
      lane_offset = 0;
      for (k = 0; k < lane; k = k + 1) lane_offset = lane_offset + width;
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
  wire [PM_OUT_PIX_STEP_W-1:0] f_out_pix_step = pm_rdata[PM_OUT_PIX_STEP_LSB +: PM_OUT_PIX_STEP_W];
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
  localparam [3:0] ST_IDLE  = 4'd0,   // waiting for start
                   ST_BOOT  = 4'd1,   // RUN_OVERHEAD: pc <= 0
                   ST_LRD   = 4'd2,   // LAYER_SETUP 1: program word address presented
                   ST_LLAT  = 4'd3,   // LAYER_SETUP 2: program word valid, tile pointer set
                   ST_TRD   = 4'd4,   // TILE_SETUP 1: tile word address presented
                   ST_TLAT  = 4'd5,   // TILE_SETUP 2: tile word valid, first position set up
                   ST_BEAT  = 4'd6,   // one cycle per beat: FM and WM addresses presented
                   ST_DRAIN = 4'd7,   // write-back 1: last beat's data accumulates
                   ST_FORM  = 4'd8,   // write-back 2: acc = cross << SC - corr << SK + bias
                   ST_THR   = 4'd9,   // n cycles: one threshold compared per cycle
                   ST_WRITE = 4'd10,  // one cycle per output plane: masked FM write
                   ST_RES   = 4'd11,  // res_k cycles: residual plane addresses presented
                   ST_ADD   = 4'd12;  // last residual plane arrives: acc = (acc << sa) + (r << sb)

  reg  [3:0]              state;
  reg  [PM_AW-1:0]        pc;          // program word of the current layer
  reg  [TT_AW-1:0]        tt_ptr;      // tile word of the current tile
  reg  [PM_N_TILES_W-1:0] tile_idx;    // tile number within the layer
  reg  [LCW-1:0]          lcyc;        // cycles of the current layer so far

  // Output position (y, x) and its window origin (iy0, ix0) = (y sy - pt, x sx - pl).
  reg  [PM_OH_W-1:0]      y;
  reg  [PM_OW_W-1:0]      x;
  reg  [CW-1:0]           iy0, ix0;
  reg  [FM_AW-1:0]        row_addr;    // FM address of window origin (iy0, -pl) + cb_off
  reg  [FM_AW-1:0]        pos_addr;    // FM address of window origin (iy0, ix0) + cb_off
  reg  [FM_AW-1:0]        out_pos;     // FM address of output plane 0 of this position
  reg  [FM_AW-1:0]        res_pos;     // FM address of residual plane 0 of this position

  // Beat counters within a position: tap (ky, kx) at input (iy, ix), beat b of the
  // tap's ncb_k words = block j, plane p.
  reg  [PM_KH_W-1:0]      ky;
  reg  [PM_KW_W-1:0]      kx;
  reg  [CW-1:0]           iy, ix;
  reg  [FM_AW-1:0]        tap_row;     // FM address of tap (ky, 0)
  reg  [FM_AW-1:0]        tap_addr;    // FM address of tap (ky, kx), beat 0
  reg  [FM_AW-1:0]        rd_ptr;      // FM address of this beat
  reg  [TT_NCB_K_W-1:0]   b;
  reg  [PW-1:0]           p;
  reg  [TT_NCB_W-1:0]     j;
  reg  [WM_AW-1:0]        wm_ptr;
  reg                     first_beat;

  // Write-back counters: threshold index (1..n_thr) and output plane.
  reg  [TM_AW-1:0]        tm_ptr;
  reg  [QW-1:0]           thr_idx;
  reg  [PM_OUT_K_W-1:0]   op;
  reg  [PM_RES_K_W-1:0]   rp;          // residual plane being read

  // Beat pipeline: what the data arriving this cycle belongs to.
  reg                     d_valid, d_first, d_pad;
  reg  [PW-1:0]           d_plane;
  reg  [S-1:0]            d_mask;
  reg                     d_rvalid;    // a residual plane arrives this cycle
  reg  [PM_RES_K_W-1:0]   d_rplane;

  // ---------------------------------------------------------------------------------
  // Loop conditions
  // ---------------------------------------------------------------------------------
  wire p_last     = p == f_in_k - 1'b1;
  wire b_last     = b == f_ncb_k - 1'b1;
  wire kx_last    = kx == f_kw - 1'b1;
  wire ky_last    = ky == f_kh - 1'b1;
  wire x_last     = x == f_ow - 1'b1;
  wire y_last     = y == f_oh - 1'b1;
  wire tile_last  = tile_idx == f_n_tiles - 1'b1;
  wire thr_last   = thr_idx == QW'(f_n_thr);
  wire op_last    = op == f_out_k - 1'b1;
  wire rp_last    = rp == f_res_k - 1'b1;
  // res_kind: 0 none, 1 U(k) (unsigned planes), 2 B (stored bit u is 2u - 1), 3 I(w) (two's complement).
  wire [1:0] res_kind = 2'(f_res_kind);
  wire       has_res  = res_kind != 2'd0;
  wire pos_last   = x_last & y_last;

  // ---------------------------------------------------------------------------------
  // Next output position (used on entering ST_BEAT from ST_TLAT or from ST_WRITE)
  // ---------------------------------------------------------------------------------
  wire [CW-1:0]    neg_pt = {CW{1'b0}} - CW'(f_pt);
  wire [CW-1:0]    neg_pl = {CW{1'b0}} - CW'(f_pl);
  wire             new_tile = state == ST_TLAT;
  wire             new_row  = new_tile | x_last;
  wire [PM_OH_W-1:0] nx_y   = new_tile ? {PM_OH_W{1'b0}} : (x_last ? y + 1'b1 : y);
  wire [PM_OW_W-1:0] nx_x   = new_row ? {PM_OW_W{1'b0}} : x + 1'b1;
  wire [CW-1:0]    nx_iy0   = new_tile ? neg_pt : (x_last ? iy0 + CW'(f_sy) : iy0);
  wire [CW-1:0]    nx_ix0   = new_row ? neg_pl : ix0 + CW'(f_sx);
  // Origin (-pt, -pl) of the input region, shifted to the tile's first channel block.
  wire [FM_AW-1:0] org_addr = FM_AW'(f_in_base) - FM_AW'(f_pad_step) + FM_AW'(f_cb_off);
  wire [FM_AW-1:0] nx_row   = new_tile ? org_addr
                            : (x_last ? row_addr + FM_AW'(f_sy_step) : row_addr);
  wire [FM_AW-1:0] nx_pos   = new_row ? nx_row : pos_addr + FM_AW'(f_sx_step);
  wire [FM_AW-1:0] nx_out   = new_tile ? FM_AW'(f_out_base) + FM_AW'(f_out_off)
                            : out_pos + FM_AW'(f_out_pix_step);
  wire [FM_AW-1:0] nx_res   = new_tile ? FM_AW'(f_res_base) + FM_AW'(f_res_off)
                            : res_pos + FM_AW'(f_res_pix_step);

  // ---------------------------------------------------------------------------------
  // Pad detection and lane mask of the current beat
  // ---------------------------------------------------------------------------------
  wire pad_now = iy[CW-1] | ix[CW-1]
               | ($signed(iy) >= $signed(CW'(f_in_h)))
               | ($signed(ix) >= $signed(CW'(f_in_w)));
  // Lane l of block j is a real input of the group iff it is not below lane_lo in the
  // first block and not at or above lane_hi in the last block (only those two blocks
  // of a group's range can be partial). The two limits are thermometer masks made by
  // shifting all-ones (lanes >= lane_lo; lanes < lane_hi, lane_hi = S keeping all).
  wire          blk_first = j == {TT_NCB_W{1'b0}};
  wire          blk_last  = j == f_ncb - 1'b1;
  wire [S-1:0]  from_lo   = {S{1'b1}} << f_lane_lo;
  wire [S-1:0]  below_hi  = ~({S{1'b1}} << f_lane_hi);
  wire [S-1:0]  lane_mask = (blk_first ? from_lo : {S{1'b1}}) & (blk_last ? below_hi : {S{1'b1}});

  // ---------------------------------------------------------------------------------
  // Controller
  // ---------------------------------------------------------------------------------
  wire layer_end = (state == ST_WRITE) & op_last & pos_last & tile_last;

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
      lcyc <= (state == ST_LRD) ? {{(LCW-1){1'b0}}, 1'b1} : lcyc + 1'b1;

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
        ST_TLAT: state <= ST_BEAT;
        ST_BEAT: if (b_last & kx_last & ky_last) state <= ST_DRAIN;
        ST_DRAIN: state <= ST_FORM;
        ST_FORM:  state <= has_res ? ST_RES : ((f_out_raw != 0) ? ST_WRITE : ST_THR);
        ST_RES:   if (rp_last) state <= ST_ADD;
        ST_ADD:   state <= (f_out_raw != 0) ? ST_WRITE : ST_THR;
        ST_THR:   if (thr_last) state <= ST_WRITE;
        ST_WRITE: if (op_last) begin
          if (!pos_last) begin
            state <= ST_BEAT;
          end else if (!tile_last) begin
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

  // Position and beat counters.
  wire enter_position = (state == ST_TLAT) | ((state == ST_WRITE) & op_last & !pos_last);

  always @(posedge clk) begin
    if (enter_position) begin
      y          <= nx_y;
      x          <= nx_x;
      iy0        <= nx_iy0;
      ix0        <= nx_ix0;
      row_addr   <= nx_row;
      pos_addr   <= nx_pos;
      out_pos    <= nx_out;
      res_pos    <= nx_res;
      ky         <= {PM_KH_W{1'b0}};
      kx         <= {PM_KW_W{1'b0}};
      iy         <= nx_iy0;
      ix         <= nx_ix0;
      tap_row    <= nx_pos;
      tap_addr   <= nx_pos;
      rd_ptr     <= nx_pos;
      b          <= {TT_NCB_K_W{1'b0}};
      p          <= {PW{1'b0}};
      j          <= {TT_NCB_W{1'b0}};
      wm_ptr     <= WM_AW'(f_wb);
      tm_ptr     <= TM_AW'(f_tb);
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
        b      <= b + 1'b1;
        rd_ptr <= rd_ptr + 1'b1;
      end else begin
        b    <= {TT_NCB_K_W{1'b0}};
        j    <= {TT_NCB_W{1'b0}};
        if (!kx_last) begin
          kx       <= kx + 1'b1;
          ix       <= ix + CW'(f_dx);
          tap_addr <= tap_addr + FM_AW'(f_dx_step);
          rd_ptr   <= tap_addr + FM_AW'(f_dx_step);
        end else begin
          kx <= {PM_KW_W{1'b0}};
          ix <= ix0;
          if (!ky_last) begin
            ky       <= ky + 1'b1;
            iy       <= iy + CW'(f_dy);
            tap_row  <= tap_row + FM_AW'(f_dy_step);
            tap_addr <= tap_row + FM_AW'(f_dy_step);
            rd_ptr   <= tap_row + FM_AW'(f_dy_step);
          end
        end
      end
    end else if (state == ST_DRAIN || (state == ST_FORM && !has_res) || state == ST_ADD || state == ST_THR) begin
      // TM: bias at tb in ST_DRAIN (valid in ST_FORM), threshold j at tb + j in the cycle
      // before compare cycle j (held at tb + 1 through the residual reads).
      tm_ptr <= tm_ptr + 1'b1;
    end
  end

  // Write-back counters.
  always @(posedge clk) begin
    if (state == ST_FORM) begin
      thr_idx <= {{(QW-1){1'b0}}, 1'b1};
      op      <= {PM_OUT_K_W{1'b0}};
      rp      <= {PM_RES_K_W{1'b0}};
    end else if (state == ST_RES) begin
      rp <= rp + 1'b1;
    end else if (state == ST_THR) begin
      thr_idx <= thr_idx + 1'b1;
    end else if (state == ST_WRITE) begin
      op <= op + 1'b1;
    end
  end

  // Beat pipeline registers (data of this beat arrives next cycle).
  always @(posedge clk) begin
    if (rst) begin
      d_valid <= 1'b0;
    end else begin
      d_valid <= state == ST_BEAT;
    end
    d_rvalid <= state == ST_RES;
    d_rplane <= rp;
    d_first <= first_beat;
    d_plane <= p;
    d_pad   <= pad_now;
    d_mask  <= lane_mask;
  end

  // ---------------------------------------------------------------------------------
  // Datapath: P PEs and the shared correction popcount
  // ---------------------------------------------------------------------------------
  // Padded positions read no memory: every lane takes the pad bit; the mask then keeps
  // only the group's real lanes.
  wire [S-1:0] act = (d_pad ? {S{f_pad_one}} : fm_rdata) & d_mask;

  // corr = sum over beats of popcount(act) << p, computed once for all PEs.
  localparam integer SCW = $clog2(S + 1);
  wire [SCW-1:0] act_count;
  wire [AW-1:0]  corr;
  bnn_popcount #(.N(S)) u_corr_popcount (.bits(act), .count(act_count));
  bnn_accum #(.CW(SCW), .AW(AW), .PW(PW)) u_corr_accum (
    .clk(clk), .en(d_valid), .first(d_first), .plane(d_plane), .count(act_count), .acc(corr));
  wire [XW-1:0] corr_term = (f_corr != 0) ? XW'(corr) << f_sk : {XW{1'b0}};

  wire [P-1:0] out_bits;      // bit `op` of each stored lane's output value
  wire [P-1:0] raw_bits;      // bit `op` of each PE's raw accumulator
  localparam integer QALL = lane_offset(P, QW);
  wire [QALL-1:0] q_all;      // each PE's thresholded value q, PE i at lane i
  // Stored lanes of this tile: active / G (G = 2^xcp_log2 divides active).
  wire [TT_ACTIVE_W-1:0] stored = f_active >> f_xcp_log2;
  wire [P-1:0] active_mask = ~({P{1'b1}} << stored);
  // Pooling group: xcp_log2 is 0 (none), 1 (pairs) or 2 (fours); the lowering allows no more.
  wire [1:0]   xcp      = 2'(f_xcp_log2);
  wire         xcp_pair = xcp == 2'd1;
  wire         xcp_quad = xcp == 2'd2;

  // Residual lanes of this tile: PE i reads lane res_lane0 + i (channel oc0 + i). In I(w)
  // the top plane counts negative.
  wire [P-1:0] res_word = P'(fm_rdata >> f_res_lane0);
  wire         res_neg  = (res_kind == 2'd3) & (d_rplane == f_res_k - 1'b1);
  wire         res_bip  = res_kind == 2'd2;

  genvar i;
  generate
    for (i = 0; i < P; i = i + 1) begin : g_pe
      wire [AW-1:0] cross_sum;
      bnn_pe #(.S(S), .AW(AW), .PW(PW)) u_pe (
        .clk(clk), .en(d_valid), .first(d_first), .plane(d_plane),
        .act(act), .wgt(wm_rdata[lane_offset(i, S) +: S]), .sum(cross_sum));

      // TM lane of this PE: bias (ST_FORM) or threshold t'_j (ST_THR), sign-extended.
      wire [TW-1:0] tm_value = tm_rdata[lane_offset(i, TW + 1) +: TW];
      wire          tm_dir   = tm_rdata[lane_offset(i, TW + 1) + TW];
      wire [XW-1:0] tm_x     = XW'($signed(tm_value));

      reg  [XW-1:0] acc;
      reg  [QW-1:0] cnt;
      reg           dir;
      wire          reached = $signed(acc) >= $signed(tm_x);

      // Residual value r, accumulated plane by plane as the planes arrive (ST_RES, ST_ADD);
      // r_next includes the plane arriving now, r_val is the operand (B: 2u - 1).
      reg  [XW-1:0] r;
      wire [XW-1:0] r_plane = XW'(res_word[i]) << d_rplane;
      wire [XW-1:0] r_next  = d_rvalid ? (res_neg ? r - r_plane : r + r_plane) : r;
      wire [XW-1:0] r_val   = res_bip ? (r_next << 1) - 1'b1 : r_next;

      always @(posedge clk) begin
        if (state == ST_FORM) r <= {XW{1'b0}};
        else if (state == ST_RES) r <= r_next;
      end

      always @(posedge clk) begin
        if (state == ST_FORM) begin
          acc <= $signed(XW'(cross_sum) << f_sc) - $signed(corr_term) + $signed(tm_x);
          cnt <= {QW{1'b0}};
        end else if (state == ST_ADD) begin
          acc <= (acc << f_sa) + (r_val << f_sb);
        end else if (state == ST_THR) begin
          cnt <= cnt + QW'(reached);
          dir <= tm_dir;
        end
      end

      // Output value: raw accumulator, or q = cnt (dir 0) / n - cnt (dir 1).
      wire [QW-1:0] q = dir ? QW'(f_n_thr) - cnt : cnt;
      assign q_all[lane_offset(i, QW) +: QW] = q;
      assign raw_bits[i] = acc[XIW'(op)];
    end

    // Cross-channel max pooling: stored lane i takes the maximum q of PEs G i .. G i + G - 1
    // (for B, q is the stored bit, so the maximum is their OR). Lanes whose group would
    // reach past PE P - 1 never store a pooled value (G divides P) and take 0.
    for (i = 0; i < P; i = i + 1) begin : g_xcp
      wire [QW-1:0] q_self = q_all[lane_offset(i, QW) +: QW];
      wire [QW-1:0] max2, max4;
      if (i + i + 1 < P) begin : g_pair
        wire [QW-1:0] q0 = q_all[lane_offset(i + i, QW) +: QW];
        wire [QW-1:0] q1 = q_all[lane_offset(i + i + 1, QW) +: QW];
        assign max2 = q0 > q1 ? q0 : q1;
      end else begin : g_no_pair
        assign max2 = {QW{1'b0}};
      end
      if (i + i + i + i + 3 < P) begin : g_quad
        wire [QW-1:0] q0 = q_all[lane_offset(i + i + i + i, QW) +: QW];
        wire [QW-1:0] q1 = q_all[lane_offset(i + i + i + i + 1, QW) +: QW];
        wire [QW-1:0] q2 = q_all[lane_offset(i + i + i + i + 2, QW) +: QW];
        wire [QW-1:0] q3 = q_all[lane_offset(i + i + i + i + 3, QW) +: QW];
        wire [QW-1:0] m01 = q0 > q1 ? q0 : q1;
        wire [QW-1:0] m23 = q2 > q3 ? q2 : q3;
        assign max4 = m01 > m23 ? m01 : m23;
      end else begin : g_no_quad
        assign max4 = {QW{1'b0}};
      end
      wire [QW-1:0] pooled = xcp_quad ? max4 : (xcp_pair ? max2 : q_self);
      assign out_bits[i] = (f_out_raw != 0) ? raw_bits[i] : pooled[QIW'(op)];
    end
  endgenerate

  // ---------------------------------------------------------------------------------
  // Memory ports
  // ---------------------------------------------------------------------------------
  assign pm_addr  = pc;
  assign tt_addr  = tt_ptr;
  assign wm_addr  = wm_ptr;
  assign tm_addr  = tm_ptr;
  assign fm_we    = state == ST_WRITE;
  assign fm_addr  = fm_we ? out_pos + FM_AW'(op) : ((state == ST_RES) ? res_pos + FM_AW'(rp) : rd_ptr);
  // The tile's P channels are P-aligned and P divides S: they share one FM word (pooled by
  // G, its P / G stored channels start at a multiple of P / G, which divides S).
  assign fm_wdata = S'(out_bits) << f_lane0;
  assign fm_wmask = S'(active_mask) << f_lane0;
endmodule
