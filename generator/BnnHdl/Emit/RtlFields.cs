namespace BnnHdl.Emit;

/// <summary>
/// The descriptor fields templates/bnn_engine.v reads (docs/engine.md "Descriptors"). The
/// hardware words hold exactly these: Verilator -Wall rejects unread bits and unused
/// localparams, so a field the RTL does not read cannot be in bnn_params.vh or in the ROMs.
/// A test checks this list against the engine source.
/// </summary>
public static class RtlFields
{
    public static IReadOnlyList<string> Program { get; } =
    [
        "in_base", "in_h", "in_w", "in_k", "pad_one", "out_base", "out_k", "out_raw", "n_thr", "xcp_log2",
        "res_kind", "res_base", "res_k", "res_pix_step", "sa", "sb",
        "oh", "ow", "kh", "kw", "pt", "pl", "sx_step", "sy_step", "dx_step", "dy_step", "pad_step",
        "sy", "sx", "dy", "dx", "sc", "sk", "corr", "tile_base", "n_tiles", "layer_id", "last",
        "in_signed", "lane_mode", "pool_max", "ew_op", "out_x_step", "out_y_step", "end_layer",
        "ones", "bcast", "bc_base", "bc_k", "bc_per_tap", "bc_word_step", "bc_lane0", "bcorr", "sbc", "inside_count",
        "in_cb_step", "bc_cb_step", "seg_log2", "res_row_step", "win", "vert", "peg_log2",
    ];

    public static IReadOnlyList<string> Tile { get; } =
    [
        "active", "cb_off", "ncb", "ncb_k", "lane_lo", "lane_hi", "lane0", "out_off", "res_lane0", "res_off", "wb", "tb",
    ];

    /// <summary>Fields holding a feature-memory address or address step: FM_AW must cover their widths.</summary>
    public static IReadOnlyList<string> FeatureAddressFields { get; } =
        ["in_base", "pad_step", "out_base", "sx_step", "sy_step", "dx_step", "dy_step", "out_x_step", "out_y_step",
         "res_base", "res_pix_step", "bc_base", "bc_word_step", "in_cb_step", "bc_cb_step", "res_row_step"];

    /// <summary>Tile fields holding a feature-memory address offset.</summary>
    public static IReadOnlyList<string> FeatureAddressTileFields { get; } = ["cb_off", "out_off", "res_off"];

    /// <summary>Fields compared with or added to the signed input coordinates: CW must exceed their widths.</summary>
    public static IReadOnlyList<string> CoordinateFields { get; } = ["in_h", "in_w", "pt", "pl", "sy", "sx", "dy", "dx"];
}
