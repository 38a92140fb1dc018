using Microsoft.Extensions.Localization;
using MudBlazor;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Restrictions;

/// <summary>How restrictions read in the console.</summary>
public static class RestrictionLabels
{
    public static string What(IStringLocalizer<RestrictionsResource> t, RestrictionItem r) =>
        r.Colour is { } colour ? $"{t[$"Kind.{r.Kind}"]} · {t[$"Colour.{colour}"]}" : t[$"Kind.{r.Kind}"];

    public static string Basis(IStringLocalizer<RestrictionsResource> t, RestrictionItem r) =>
        r.BasisReference is null ? t[$"Basis.{r.Basis}"] : $"{t[$"Basis.{r.Basis}"]} {r.BasisReference}";

    public static Color ColourOf(StatusColour colour) => colour switch
    {
        StatusColour.Red => Color.Error,
        StatusColour.Yellow => Color.Warning,
        _ => Color.Success,
    };

    public static Color ColourOf(RestrictionState state) => state switch
    {
        RestrictionState.PendingApproval => Color.Info,
        RestrictionState.Active => Color.Error,
        _ => Color.Default,
    };
}
