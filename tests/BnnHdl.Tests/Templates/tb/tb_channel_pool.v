// Test bench of bnn_channel_pool: applies COUNT vectors {mode, q_all} from vectors.memh and
// prints the pooled lanes, lane 0 first, one line per vector.
module tb_channel_pool;
  parameter integer P = 8;
  parameter integer QW = 2;
  parameter integer QALL = 16;
  parameter integer COUNT = 1;
  reg  [QALL+1:0]  vectors [0:COUNT-1];
  reg  [1:0]       mode;
  reg  [QALL-1:0]  q_all;
  wire [QALL-1:0]  pooled;
  integer k, lane;

  bnn_channel_pool #(.P(P), .QW(QW), .QALL(QALL)) dut (.mode(mode), .q_all(q_all), .pooled(pooled));

  initial begin
    $readmemh("vectors.memh", vectors);
    for (k = 0; k < COUNT; k = k + 1) begin
      {mode, q_all} = vectors[k];
      #1;
      for (lane = 0; lane < P; lane = lane + 1) $write("%0d ", (pooled >> (lane * QW)) & ((1 << QW) - 1));
      $write("\n");
    end
    $finish;
  end
endmodule
