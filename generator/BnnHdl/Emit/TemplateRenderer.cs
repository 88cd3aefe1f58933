using HandlebarsDotNet;
using HandlebarsDotNet.Compiler;

namespace BnnHdl.Emit;

/// <summary>
/// Renders Handlebars templates in strict mode: a placeholder the model does not fill is an
/// error naming the template and the placeholder, never an empty string in generated
/// Verilog. Models are non-nullable records (Handlebars prints a null as empty text, so a
/// model must not hold one). HTML escaping is off: the output is Verilog, YAML and text.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly IHandlebars _handlebars = Handlebars.Create(new HandlebarsConfiguration
    {
        ThrowOnUnresolvedBindingExpression = true,
        NoEscape = true,
    });

    /// <summary>Renders <paramref name="template"/> (named <paramref name="name"/> in errors) with <paramref name="model"/>.</summary>
    public string Render(string name, string template, object model)
    {
        HandlebarsTemplate<object, object> compiled;
        try
        {
            compiled = _handlebars.Compile(template);
        }
        catch (HandlebarsException e)
        {
            throw new BnnHdlException($"template {name}: {FirstLine(e.Message)}");
        }
        try
        {
            return compiled(model);
        }
        catch (HandlebarsUndefinedBindingException e)
        {
            throw new BnnHdlException($"template {name}: placeholder '{e.MissingKey}' has no value");
        }
        catch (HandlebarsException e)
        {
            throw new BnnHdlException($"template {name}: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
