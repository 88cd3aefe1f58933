// bnn_beat_walker: where the beats of a tile read (docs/engine.md "Window", "Segments",
// "Activation x activation products").
//
// Walks the output positions of a tile (a position group of 2^pos_m positions at a time),
// and for each position its beats: tap (ky, kx), channel block j, bit-plane p. It presents
// the FM port A and WM addresses of every beat and broadcast-element plane, tests each
// position slot of the access for padding, masks the tile's lanes, and registers what the
// data arriving in the next cycle belongs to (the beat pipeline, the d_ registers).
// bnn_engine's controller says which cycles are beats (its state) and when the next
// position may start (the write-back's period W); this module only counts and adds the
// step fields the lowering precomputed (no multiplier: a constant times a field is shifts
// and adds).
//
// Fields arrive already widened: coordinates to CW bits, addresses and steps to FM_AW.
module bnn_beat_walker #(
  parameter integer S     = 8,   // lanes of an FM word
  parameter integer CW    = 12,  // signed width of input coordinates
  parameter integer FM_AW = 10,  // FM address width
  parameter integer WM_AW = 8,   // WM address width
  parameter integer FB    = 1,   // FM words per access (position slots with their own pad test)
  parameter integer PW    = 2,   // widths of in_k (a plane index), oh, ow, kh, kw,
  parameter integer OHW   = 8,   //   ncb, ncb_k, bc_k, seg_log2, lane_lo, lane_hi
  parameter integer OWW   = 8,
  parameter integer KHW   = 3,
  parameter integer KWW   = 3,
  parameter integer NCBW  = 4,
  parameter integer NCKW  = 6,
  parameter integer BKW   = 2,
  parameter integer SMW   = 1,
  parameter integer LLW   = 3,
  parameter integer LHW   = 4,
  parameter integer LNW0  = 3,   // a lane index within an FM word
  parameter integer LNW   = 3,   // a broadcast element's lane (at least LNW0 and the bc_lane0 field)
  parameter integer PMW   = 2,   // width of pos_m
  parameter integer XGW   = 10,  // width of a position-group count (OWW + 2)
  parameter integer WCW   = 4    // width of the period counter
) (
  input  wire             clk,
  input  wire             rst,
  // the controller's state
  input  wire             tile_start,  // ST_TLAT: the tile word is valid, the first position starts next
  input  wire             beat,        // ST_BEAT: a beat's addresses are presented this cycle
  input  wire             bc_read,     // ST_BC: a broadcast element plane's address is presented
  input  wire             waiting,     // ST_WAIT: the next position waits for the write-back
  input  wire [WCW-1:0]   wb_cycles,   // W: the write-back's cycles per position
  input  wire [PMW-1:0]   pos_m,       // log2 of the positions per group
  input  wire [XGW-1:0]   x_step,      // 2^pos_m
  // layer fields (program word)
  input  wire [FM_AW-1:0] in_base,
  input  wire [FM_AW-1:0] pad_step,
  input  wire [CW-1:0]    in_h,
  input  wire [CW-1:0]    in_w,
  input  wire [PW-1:0]    in_k,
  input  wire [OHW-1:0]   oh,
  input  wire [OWW-1:0]   ow,
  input  wire [KHW-1:0]   kh,
  input  wire [KWW-1:0]   kw,
  input  wire [CW-1:0]    pt,
  input  wire [CW-1:0]    pl,
  input  wire [CW-1:0]    sy,
  input  wire [CW-1:0]    sx,
  input  wire [CW-1:0]    dy,
  input  wire [CW-1:0]    dx,
  input  wire [FM_AW-1:0] sy_step,
  input  wire [FM_AW-1:0] sx_step,
  input  wire [FM_AW-1:0] dy_step,
  input  wire [FM_AW-1:0] dx_step,
  input  wire [FM_AW-1:0] in_cb_step,
  input  wire             in_signed,
  input  wire             lane_mode,
  input  wire             win,
  input  wire [SMW-1:0]   seg_m,
  input  wire [FM_AW-1:0] bc_base,
  input  wire [BKW-1:0]   bc_k,
  input  wire             bc_per_tap,
  input  wire [FM_AW-1:0] bc_word_step,
  input  wire [FM_AW-1:0] bc_cb_step,
  input  wire [LNW-1:0]   bc_lane0,
  // tile fields (tile word)
  input  wire [FM_AW-1:0] cb_off,
  input  wire [NCBW-1:0]  ncb,
  input  wire [NCKW-1:0]  ncb_k,
  input  wire [LLW-1:0]   lane_lo,
  input  wire [LHW-1:0]   lane_hi,
  input  wire [WM_AW-1:0] wb,
  // loop conditions the controller steps on
  output wire             b_last,      // the tap's last beat
  output wire             tap_last,    // the position's last tap
  output wire             pos_last,    // the tile's last position
  output wire             bq_last,     // the broadcast element's last plane
  output wire             period_ok,   // W cycles of this position have passed
  // memory addresses
  output wire [FM_AW-1:0] a_addr,
  output wire [WM_AW-1:0] wm_addr,
  // the beat pipeline: what the data arriving this cycle belongs to
  output reg              d_valid,
  output reg              d_first,
  output reg  [FB-1:0]    d_pads,      // per input position j of the access: it is padding
  output reg              d_neg,       // the beat is the sign plane of a signed input
  output reg              d_tap_first,
  output reg              d_tap_last,
  output reg              d_bvalid,    // a broadcast element plane arrives this cycle
  output reg  [BKW-1:0]   d_bplane,
  output reg  [LNW-1:0]   d_blane,
  output reg  [PW-1:0]    d_plane,
  output reg  [S-1:0]     d_mask,
  output reg  [LNW0-1:0]  d_lane_sh,
  output reg              d_end,       // the position's last beat's data arrives (drain)
  output reg              d_end_last   // ... and it is the tile's last position
);
  // v x n for a constant n: v shifted by each set bit of n, added (no multiplier).
  function [CW-1:0] times_const(input [CW-1:0] v, input integer n);
    integer i;
    begin
      times_const = {CW{1'b0}};
      for (i = 0; i < 31; i = i + 1) if (((n >> i) & 1) != 0) times_const = times_const + (v << i);
    end
  endfunction

  // Output position (y, x) and its window origin (iy0, ix0) = (y sy - pt, x sx - pl).
  reg  [OHW-1:0]   y;
  reg  [OWW-1:0]   x;
  reg  [CW-1:0]    iy0, ix0;
  reg  [FM_AW-1:0] row_addr;    // FM address of window origin (iy0, -pl) + cb_off
  reg  [FM_AW-1:0] pos_addr;    // FM address of window origin (iy0, ix0) + cb_off
  // Cycles since this position's first cycle (counted up to W).
  reg  [WCW-1:0]   pos_cyc;
  // Beat counters within a position: tap (ky, kx) at input (iy, ix), beat b of the tap's
  // ncb_k words = block j, plane p.
  reg  [KHW-1:0]   ky;
  reg  [KWW-1:0]   kx;
  reg  [CW-1:0]    iy, ix;
  reg  [FM_AW-1:0] tap_row;     // FM address of tap (ky, 0)
  reg  [FM_AW-1:0] tap_addr;    // FM address of tap (ky, kx), beat 0
  reg  [FM_AW-1:0] blk_addr;    // FM address of the tap's current block, plane 0
  reg  [FM_AW-1:0] rd_ptr;      // FM address of this beat
  reg  [NCKW-1:0]  b;
  reg  [PW-1:0]    p;
  reg  [NCBW-1:0]  j;
  reg  [LNW0-1:0]  lane_sh;     // dense segments: the first lane of this run block in its block
  reg  [WM_AW-1:0] wm_ptr;
  reg              first_beat;
  // Broadcast element of an act x act product: its word is a base plus a multiple of
  // bc_word_step, its channel a lane and a block offset. One of the two moves per tap and
  // restarts per position, the other moves per position and restarts per tile (which one:
  // bc_per_tap).
  reg  [FM_AW-1:0] bc_pos_word; // word part at this position's first tap
  reg  [LNW-1:0]   bc_pos_lane; // channel lane and block offset at this position's first tap
  reg  [FM_AW-1:0] bc_pos_off;
  reg  [FM_AW-1:0] bc_word;     // the same for the current tap
  reg  [LNW-1:0]   bc_lane;
  reg  [FM_AW-1:0] bc_off;
  reg  [BKW-1:0]   bq;          // element plane being read

  // ---------------------------------------------------------------------------------
  // Loop conditions
  // ---------------------------------------------------------------------------------
  wire p_last  = p == in_k - 1'b1;
  assign b_last = b == ncb_k - 1'b1;
  // The window (docs/engine.md "Window"): one beat carries a whole window row, so kx stays 0.
  wire kx_last = win | (kx == kw - 1'b1);
  wire ky_last = ky == kh - 1'b1;
  wire x_last  = {2'b00, x} + x_step >= XGW'(ow);
  wire y_last  = y == oh - 1'b1;
  assign tap_last  = kx_last & ky_last;
  assign pos_last  = x_last & y_last;
  assign bq_last   = bq == bc_k - 1'b1;
  assign period_ok = pos_cyc >= wb_cycles;
  // Dense segments read a group in run blocks of S >> seg_log2 lanes (docs/engine.md
  // "Segments"): from lane lane_lo of the first block on, the next block once a block's
  // runs are used up.
  wire run_blocks = !lane_mode & (seg_m != {SMW{1'b0}});
  wire [LNW0:0]   run_lanes = (LNW0+1)'(S) >> seg_m;
  wire [LNW0:0]   next_sh   = {1'b0, lane_sh} + run_lanes;
  wire run_wrap   = !run_blocks | (next_sh == (LNW0+1)'(S));
  wire [LNW0-1:0] first_sh  = run_blocks ? LNW0'(lane_lo) : {LNW0{1'b0}};
  wire beats_done = beat & b_last & tap_last;
  // The next position starts after this one's beats, once W cycles of it have passed.
  wire next_pos   = ((beats_done & !pos_last) | waiting) & period_ok;
  wire enter_position = tile_start | next_pos;

  // ---------------------------------------------------------------------------------
  // Next output position (used when a position starts: after tile_start, or next_pos)
  // ---------------------------------------------------------------------------------
  wire [CW-1:0]    neg_pt = {CW{1'b0}} - pt;
  wire [CW-1:0]    neg_pl = {CW{1'b0}} - pl;
  wire             new_row  = tile_start | x_last;
  wire [OHW-1:0]   nx_y     = tile_start ? {OHW{1'b0}} : (x_last ? y + 1'b1 : y);
  wire [OWW-1:0]   nx_x     = new_row ? {OWW{1'b0}} : x + OWW'(x_step);
  wire [CW-1:0]    nx_iy0   = tile_start ? neg_pt : (x_last ? iy0 + sy : iy0);
  wire [CW-1:0]    nx_ix0   = new_row ? neg_pl : ix0 + (sx << pos_m);
  // Origin (-pt, -pl) of the input region, shifted to the tile's first channel block.
  wire [FM_AW-1:0] org_addr = in_base - pad_step + cb_off;
  wire [FM_AW-1:0] nx_row   = tile_start ? org_addr : (x_last ? row_addr + sy_step : row_addr);
  wire [FM_AW-1:0] nx_pos   = new_row ? nx_row : pos_addr + (sx_step << pos_m);
  // Broadcast element channel: the next lane, wrapping into the next block (bc_cb_step words
  // on; the lowering makes bc_lane0 < S, so no division is needed). With G = 2^seg_log2
  // segments a position group is G columns: the channel lane moves G lanes (the lowering
  // keeps bc_lane0 a multiple of G, so a group never crosses a block), or the word G
  // element steps.
  wire [LNW:0]     pos_lane_g  = {1'b0, bc_pos_lane} + ((LNW+1)'(1) << seg_m);
  wire             pos_wrap    = pos_lane_g == (LNW+1)'(S);
  wire [LNW-1:0]   pos_lane_nx = pos_wrap ? {LNW{1'b0}} : pos_lane_g[LNW-1:0];
  wire [FM_AW-1:0] pos_off_nx  = pos_wrap ? bc_pos_off + bc_cb_step : bc_pos_off;
  wire             tap_wrap    = {1'b0, bc_lane} == (LNW+1)'(S - 1);
  wire [LNW-1:0]   tap_lane_nx = tap_wrap ? {LNW{1'b0}} : bc_lane + 1'b1;
  wire [FM_AW-1:0] tap_off_nx  = tap_wrap ? bc_off + bc_cb_step : bc_off;
  wire [FM_AW-1:0] nx_bc_word  = tile_start ? bc_base
                               : (bc_per_tap ? bc_pos_word + (bc_word_step << seg_m) : bc_pos_word);
  wire [LNW-1:0]   nx_bc_lane  = tile_start ? bc_lane0 : (bc_per_tap ? bc_pos_lane : pos_lane_nx);
  wire [FM_AW-1:0] nx_bc_off   = tile_start ? {FM_AW{1'b0}} : (bc_per_tap ? bc_pos_off : pos_off_nx);

  // ---------------------------------------------------------------------------------
  // Pad detection and lane mask of the current beat
  // ---------------------------------------------------------------------------------
  // Position slot g reads input column ix + g sx (same row; the window, at stride 1, its
  // position g): each has its own pad test.
  wire row_out = iy[CW-1] | ($signed(iy) >= $signed(in_h));
  wire [FB-1:0] pad_segs;
  genvar sg;
  generate
    for (sg = 0; sg < FB; sg = sg + 1) begin : g_seg_pad
      wire [CW-1:0] ixg = ix + times_const(sx, sg);
      assign pad_segs[sg] = row_out | ixg[CW-1] | ($signed(ixg) >= $signed(in_w));
    end
  endgenerate
  // Lane l of block j is a real input of the group iff it is not below lane_lo in the first
  // block and not at or above lane_hi in the last block (only those two blocks of a group's
  // range can be partial). The two limits are thermometer masks made by shifting all-ones
  // (lanes >= lane_lo; lanes < lane_hi, lane_hi = S keeping all).
  wire          blk_first = j == {NCBW{1'b0}};
  wire          blk_last  = j == ncb - 1'b1;
  wire [S-1:0]  from_lo   = {S{1'b1}} << lane_lo;
  wire [S-1:0]  below_hi  = ~({S{1'b1}} << lane_hi);
  // Run blocks are shifted down to lane 0 before the mask: only the last one is partial.
  wire [S-1:0]  lane_mask = run_blocks ? (blk_last ? below_hi : {S{1'b1}})
                          : (blk_first ? from_lo : {S{1'b1}}) & (blk_last ? below_hi : {S{1'b1}});

  // ---------------------------------------------------------------------------------
  // Position and beat counters
  // ---------------------------------------------------------------------------------
  always @(posedge clk) begin
    if (enter_position) begin
      y           <= nx_y;
      x           <= nx_x;
      iy0         <= nx_iy0;
      ix0         <= nx_ix0;
      row_addr    <= nx_row;
      pos_addr    <= nx_pos;
      bc_pos_word <= nx_bc_word;
      bc_pos_lane <= nx_bc_lane;
      bc_pos_off  <= nx_bc_off;
      bc_word     <= nx_bc_word;
      bc_lane     <= nx_bc_lane;
      bc_off      <= nx_bc_off;
      ky          <= {KHW{1'b0}};
      kx          <= {KWW{1'b0}};
      iy          <= nx_iy0;
      ix          <= nx_ix0;
      tap_row     <= nx_pos;
      tap_addr    <= nx_pos;
      blk_addr    <= nx_pos;
      rd_ptr      <= nx_pos;
      b           <= {NCKW{1'b0}};
      p           <= {PW{1'b0}};
      j           <= {NCBW{1'b0}};
      lane_sh     <= first_sh;
      wm_ptr      <= wb;
      first_beat  <= 1'b1;
    end else if (beat) begin
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
          blk_addr <= blk_addr + in_cb_step;
          rd_ptr   <= blk_addr + in_cb_step;
        end else begin
          rd_ptr <= rd_ptr + 1'b1;
        end
      end else begin
        b       <= {NCKW{1'b0}};
        j       <= {NCBW{1'b0}};
        lane_sh <= first_sh;
        // The next tap's broadcast element: the channel moves (per tap) or the word does.
        if (bc_per_tap) begin
          bc_lane <= tap_lane_nx;
          bc_off  <= tap_off_nx;
        end else begin
          bc_word <= bc_word + bc_word_step;
        end
        if (!kx_last) begin
          kx       <= kx + 1'b1;
          ix       <= ix + dx;
          tap_addr <= tap_addr + dx_step;
          blk_addr <= tap_addr + dx_step;
          rd_ptr   <= tap_addr + dx_step;
        end else begin
          kx <= {KWW{1'b0}};
          ix <= ix0;
          if (!ky_last) begin
            ky       <= ky + 1'b1;
            iy       <= iy + dy;
            tap_row  <= tap_row + dy_step;
            tap_addr <= tap_row + dy_step;
            blk_addr <= tap_row + dy_step;
            rd_ptr   <= tap_row + dy_step;
          end
        end
      end
    end
  end

  // pos_cyc: 1 in a position's first cycle, counting up to W; bq: the element plane.
  always @(posedge clk) begin
    if (enter_position) pos_cyc <= {{(WCW-1){1'b0}}, 1'b1};
    else if (!period_ok) pos_cyc <= pos_cyc + 1'b1;
    bq <= bc_read ? bq + 1'b1 : {BKW{1'b0}};
  end

  // Beat pipeline registers (data of this beat arrives next cycle).
  always @(posedge clk) begin
    if (rst) begin
      d_valid <= 1'b0;
      d_end   <= 1'b0;
    end else begin
      d_valid <= beat;
      d_end   <= beats_done;
    end
    d_end_last  <= pos_last;
    d_bvalid    <= bc_read;
    d_bplane    <= bq;
    d_blane     <= bc_lane;
    d_neg       <= in_signed & p_last;
    d_tap_first <= b == {NCKW{1'b0}};
    d_tap_last  <= b_last;
    d_first     <= first_beat;
    d_plane     <= p;
    d_pads      <= pad_segs;
    d_mask      <= lane_mask;
    d_lane_sh   <= lane_sh;
  end

  // FM port A: a broadcast element plane in ST_BC, else this beat's word; WM: this block's word.
  assign a_addr  = bc_read ? bc_word + bc_off + FM_AW'(bq) : rd_ptr;
  assign wm_addr = wm_ptr;
endmodule
