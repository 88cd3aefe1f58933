+incdir+.
bnn_popcount.v
bnn_accum.v
bnn_pe.v
bnn_sram.v
bnn_rom.v
bnn_engine.v
bnn_engine_top.v
