// Test bench of bnn_popcount: applies COUNT vectors from vectors.memh and prints each count.
module tb_popcount;
  parameter integer N = 8;
  parameter integer COUNT = 1;
  reg  [N-1:0]           vectors [0:COUNT-1];
  reg  [N-1:0]           bits;
  wire [$clog2(N+1)-1:0] count;
  integer k;

  bnn_popcount #(.N(N)) dut (.bits(bits), .count(count));

  initial begin
    $readmemh("vectors.memh", vectors);
    for (k = 0; k < COUNT; k = k + 1) begin
      bits = vectors[k];
      #1 $display("%0d", count);
    end
    $finish;
  end
endmodule
