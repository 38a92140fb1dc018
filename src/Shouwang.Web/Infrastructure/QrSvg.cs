using QRCoder;

namespace Shouwang.Web.Infrastructure;

/// <summary>QR symbols as SVG (person codes, pass cards, place posters): sharp at any print size, inline in a page without a second request.</summary>
public static class QrSvg
{
    /// <summary>An SVG sized by its viewBox, so the page's CSS decides how big it prints.</summary>
    public static string For(string text, QRCodeGenerator.ECCLevel level = QRCodeGenerator.ECCLevel.M)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, level);
        var svg = new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        // QRCoder starts with an XML declaration; inline in HTML it is only noise.
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }
}
