// bnn_offsets.vh: elaboration-time helpers of the blocks, included inside a module body.
// Verilog has no package a plain-Verilog flow reads everywhere, so the blocks share these
// through `include (files.f and the core put this folder on the include path).

// lane x width at elaboration: every call has constant arguments (a bit offset or a
// width), so this is a constant, never a multiplier (EngineSourceTests checks both).
function integer lane_offset(input integer lane, input integer width);
  begin
    lane_offset = lane * width;
  end
endfunction

// pe / width (the PE group of PE pe): the largest k < groups with k x width <= pe (no
// divider; a loop of constant bound, which Verilator unrolls and folds).
function integer group_of(input integer pe, input integer width, input integer groups);
  integer k;
  begin
    group_of = 0;
    for (k = 1; k < groups; k = k + 1) if (pe >= lane_offset(k, width)) group_of = k;
  end
endfunction
