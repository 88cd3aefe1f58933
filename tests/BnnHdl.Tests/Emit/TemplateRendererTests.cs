using BnnHdl.Emit;

namespace BnnHdl.Tests.Emit;

/// <summary>Handlebars in strict mode: every placeholder must have a value, or rendering fails naming it.</summary>
public sealed class TemplateRendererTests
{
    private sealed record Model(string Name, int Width, IReadOnlyList<Item> Items);
    private sealed record Item(string Label);

    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public void Prints_values_without_escaping()
    {
        var model = new Model("a<b>&\"c\"", 12, [new("x"), new("y")]);
        Assert.Equal("a<b>&\"c\" [12:0] x,y,",
            _renderer.Render("t.hbs", "{{name}} [{{width}}:0] {{#each items}}{{label}},{{/each}}", model));
    }

    [Fact]
    public void A_placeholder_without_a_value_is_an_error()
    {
        var e = Assert.Throws<BnnHdlException>(() => _renderer.Render("t.hbs", "wire [{{depth}}:0] x;", new Model("n", 1, [])));
        Assert.Equal("template t.hbs: placeholder 'depth' has no value", e.Message);
    }

    [Fact]
    public void A_missing_value_inside_a_loop_is_an_error()
    {
        var e = Assert.Throws<BnnHdlException>(() =>
            _renderer.Render("t.hbs", "{{#each items}}{{label}}{{lsb}}{{/each}}", new Model("n", 1, [new("x")])));
        Assert.Equal("template t.hbs: placeholder 'lsb' has no value", e.Message);
    }

    [Fact]
    public void A_missing_list_is_an_error()
    {
        var e = Assert.Throws<BnnHdlException>(() => _renderer.Render("t.hbs", "{{#each fields}}{{name}}{{/each}}", new Model("n", 1, [])));
        Assert.Equal("template t.hbs: placeholder 'fields' has no value", e.Message);
    }

    [Fact]
    public void A_malformed_template_is_an_error()
    {
        var e = Assert.Throws<BnnHdlException>(() => _renderer.Render("t.hbs", "{{#each items}}{{label}}", new Model("n", 1, [])));
        Assert.StartsWith("template t.hbs: ", e.Message);
    }

    [Fact]
    public void The_real_header_template_needs_every_value()
    {
        string template = SourceTree.Default.Template("bnn_params.vh.hbs");
        var e = Assert.Throws<BnnHdlException>(() => _renderer.Render("bnn_params.vh.hbs", template, new Model("n", 1, [])));
        Assert.Equal("template bnn_params.vh.hbs: placeholder 'network' has no value", e.Message);
    }
}
