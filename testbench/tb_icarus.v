// tb_icarus: Icarus Verilog testbench of the generated bnn_engine_top.
//
// Runs the program once and records every layer:
//   - at each layer_done pulse, the layer's output region of the feature memory (taken
//     from the layer list: one line "<layer id> <out base> <words>" per layer) is written
//     as hex words to <out>/layer_<id>.memh, and "layer <id> cycles <n>" to the log;
//   - at done, "run cycles <n>" (cycles from the start pulse to done) ends the log.
// The memory images are read by the memories themselves ($readmemh, file names are
// parameters of the generated top, relative to the working directory).
//
// Plusargs: +layers=<file> (layers.txt), +out=<dir> (.), +log=<file> (<out>/cosim.log),
//           +max_cycles=<n> (1000000; exceeding it is a failure: "FAIL" and exit code 1),
//           +vcd=<file> (a VCD waveform of every signal of the run; no rebuild needed),
//           +stop_after=<id> (end the run at that layer's layer_done, as if done: the log's
//           "run cycles" counts to there), +fm_out=<file> (at the end, every feature-memory
//           word as hex, one per line: what a later part of a split run must start from).
`timescale 1ns / 1ps
module tb_icarus;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg start = 1'b0;
  wire done, layer_done;
  wire [31:0] layer_cycles;
  wire [31:0] layer_id;

  bnn_engine_top dut (
    .clk(clk), .rst(rst), .start(start), .done(done),
    .layer_done(layer_done), .layer_cycles(layer_cycles), .layer_id(layer_id));

  always #5 clk = ~clk;

  localparam integer MAX_LAYERS = 4096;
  integer lay_base [0:MAX_LAYERS-1];
  integer lay_words [0:MAX_LAYERS-1];
  reg     lay_known [0:MAX_LAYERS-1];

  reg [8191:0] layers_file, out_dir, log_file, dump_file, vcd_file, fm_out;
  integer max_cycles, fd, log_fd, dump_fd, id, base, words, k, cycles, n, stop_after;
  reg     stops, images;

  initial begin
    if (!$value$plusargs("layers=%s", layers_file)) layers_file = "layers.txt";
    if (!$value$plusargs("out=%s", out_dir)) out_dir = ".";
    if (!$value$plusargs("log=%s", log_file)) $sformat(log_file, "%0s/cosim.log", out_dir);
    if (!$value$plusargs("max_cycles=%d", max_cycles)) max_cycles = 1000000;
    stops = $value$plusargs("stop_after=%d", stop_after);
    images = $value$plusargs("fm_out=%s", fm_out);
    if ($value$plusargs("vcd=%s", vcd_file)) begin
      $dumpfile(vcd_file);
      $dumpvars(0, dut);      // the engine and its ports, not the harness's file names
    end

    for (k = 0; k < MAX_LAYERS; k = k + 1) lay_known[k] = 1'b0;
    fd = $fopen(layers_file, "r");
    if (fd == 0) begin
      $display("FAIL: cannot open layer list %0s", layers_file);
      $fatal(1);
    end
    while ($fscanf(fd, "%d %d %d\n", id, base, words) == 3) begin
      lay_base[id] = base;
      lay_words[id] = words;
      lay_known[id] = 1'b1;
    end
    $fclose(fd);

    log_fd = $fopen(log_file, "w");
    if (log_fd == 0) begin
      $display("FAIL: cannot write log %0s", log_file);
      $fatal(1);
    end

    repeat (2) @(posedge clk);
    rst <= 1'b0;
    @(posedge clk);
    start <= 1'b1;
    @(posedge clk);          // this edge samples start
    start <= 1'b0;
    cycles = 0;
    forever begin
      @(posedge clk);
      #1;
      cycles = cycles + 1;
      if (layer_done) dump_layer(layer_id, layer_cycles);
      if (done || (stops && layer_done && layer_id == stop_after)) begin
        if (images) $writememh(fm_out, dut.u_fm.mem);
        $fdisplay(log_fd, "run cycles %0d", cycles);
        $fclose(log_fd);
        $finish;
      end
      if (cycles >= max_cycles) begin
        $display("FAIL: no done after %0d cycles", cycles);
        $fdisplay(log_fd, "FAIL: no done after %0d cycles", cycles);
        $fclose(log_fd);
        $fatal(1);
      end
    end
  end

  task dump_layer(input integer lid, input integer lcyc);
    begin
      $fdisplay(log_fd, "layer %0d cycles %0d", lid, lcyc);
      $display("layer %0d", lid);   // progress for the caller
      $fflush;
      if (lid < 0 || lid >= MAX_LAYERS || !lay_known[lid]) begin
        $display("FAIL: layer %0d is not in %0s", lid, layers_file);
        $fatal(1);
      end
      $sformat(dump_file, "%0s/layer_%0d.memh", out_dir, lid);
      dump_fd = $fopen(dump_file, "w");
      for (n = 0; n < lay_words[lid]; n = n + 1)
        $fdisplay(dump_fd, "%h", dut.u_fm.mem[lay_base[lid] + n]);
      $fclose(dump_fd);
    end
  endtask
endmodule
