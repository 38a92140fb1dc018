using MudBlazor;

namespace Shouwang.Web.Components.Layout;

public static class ConsoleTheme
{
    // System CJK fonts: the console must render Chinese offline, so no web fonts are fetched.
    private static readonly string[] Fonts = ["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "Helvetica", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#b71c1c", AppbarBackground = "#b71c1c", Secondary = "#1565c0" },
        Typography = new Typography { Default = new DefaultTypography { FontFamily = Fonts } },
    };
}
