// bnn_params.vh: descriptor word layouts of network 'small' (generated; do not edit).
//
// Included inside bnn_engine: bit offset (_LSB) and width (_W) of every field of the
// program word (90 bits, one per layer) and of the tile word (26 bits,
// one per tile). The lowering chose the order and the widths (each field as wide as the
// largest value the program puts there); docs/engine.md "Descriptors" defines the fields.

// Program word
localparam integer PM_IN_BASE_LSB = 0;
localparam integer PM_IN_BASE_W = 9;
localparam integer PM_IN_H_LSB = 9;
localparam integer PM_IN_H_W = 3;
localparam integer PM_IN_W_LSB = 12;
localparam integer PM_IN_W_W = 3;
localparam integer PM_IN_K_LSB = 15;
localparam integer PM_IN_K_W = 4;
localparam integer PM_PAD_ONE_LSB = 19;
localparam integer PM_PAD_ONE_W = 1;
localparam integer PM_OUT_BASE_LSB = 20;
localparam integer PM_OUT_BASE_W = 9;
localparam integer PM_OUT_K_LSB = 29;
localparam integer PM_OUT_K_W = 3;
localparam integer PM_OUT_RAW_LSB = 32;
localparam integer PM_OUT_RAW_W = 1;
localparam integer PM_N_THR_LSB = 33;
localparam integer PM_N_THR_W = 2;
localparam integer PM_XCP_LOG2_LSB = 35;
localparam integer PM_XCP_LOG2_W = 1;
localparam integer PM_OH_LSB = 36;
localparam integer PM_OH_W = 3;
localparam integer PM_OW_LSB = 39;
localparam integer PM_OW_W = 3;
localparam integer PM_KH_LSB = 42;
localparam integer PM_KH_W = 2;
localparam integer PM_KW_LSB = 44;
localparam integer PM_KW_W = 2;
localparam integer PM_PT_LSB = 46;
localparam integer PM_PT_W = 1;
localparam integer PM_PL_LSB = 47;
localparam integer PM_PL_W = 1;
localparam integer PM_SX_STEP_LSB = 48;
localparam integer PM_SX_STEP_W = 4;
localparam integer PM_SY_STEP_LSB = 52;
localparam integer PM_SY_STEP_W = 6;
localparam integer PM_DX_STEP_LSB = 58;
localparam integer PM_DX_STEP_W = 4;
localparam integer PM_DY_STEP_LSB = 62;
localparam integer PM_DY_STEP_W = 6;
localparam integer PM_PAD_STEP_LSB = 68;
localparam integer PM_PAD_STEP_W = 6;
localparam integer PM_SY_LSB = 74;
localparam integer PM_SY_W = 1;
localparam integer PM_SX_LSB = 75;
localparam integer PM_SX_W = 1;
localparam integer PM_DY_LSB = 76;
localparam integer PM_DY_W = 1;
localparam integer PM_DX_LSB = 77;
localparam integer PM_DX_W = 1;
localparam integer PM_SC_LSB = 78;
localparam integer PM_SC_W = 1;
localparam integer PM_SK_LSB = 79;
localparam integer PM_SK_W = 1;
localparam integer PM_CORR_LSB = 80;
localparam integer PM_CORR_W = 1;
localparam integer PM_TILE_BASE_LSB = 81;
localparam integer PM_TILE_BASE_W = 2;
localparam integer PM_N_TILES_LSB = 83;
localparam integer PM_N_TILES_W = 2;
localparam integer PM_OUT_PIX_STEP_LSB = 85;
localparam integer PM_OUT_PIX_STEP_W = 3;
localparam integer PM_LAYER_ID_LSB = 88;
localparam integer PM_LAYER_ID_W = 1;
localparam integer PM_LAST_LSB = 89;
localparam integer PM_LAST_W = 1;

// Tile word
localparam integer TT_ACTIVE_LSB = 0;
localparam integer TT_ACTIVE_W = 3;
localparam integer TT_CB_OFF_LSB = 3;
localparam integer TT_CB_OFF_W = 1;
localparam integer TT_NCB_LSB = 4;
localparam integer TT_NCB_W = 1;
localparam integer TT_NCB_K_LSB = 5;
localparam integer TT_NCB_K_W = 4;
localparam integer TT_LANE_LO_LSB = 9;
localparam integer TT_LANE_LO_W = 1;
localparam integer TT_LANE_HI_LSB = 10;
localparam integer TT_LANE_HI_W = 3;
localparam integer TT_LANE0_LSB = 13;
localparam integer TT_LANE0_W = 3;
localparam integer TT_OUT_OFF_LSB = 16;
localparam integer TT_OUT_OFF_W = 1;
localparam integer TT_WB_LSB = 17;
localparam integer TT_WB_W = 5;
localparam integer TT_TB_LSB = 22;
localparam integer TT_TB_W = 4;
