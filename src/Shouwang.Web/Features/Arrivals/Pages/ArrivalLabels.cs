using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Policies;

namespace Shouwang.Web.Features.Arrivals.Pages;

/// <summary>Colours shared by the console pages: red for high risk, orange for medium, plain for the rest.</summary>
public static class ArrivalLabels
{
    public static MudBlazor.Color ColourOf(RiskAreaLevel? level) => level switch
    {
        RiskAreaLevel.High => MudBlazor.Color.Error,
        RiskAreaLevel.Medium => MudBlazor.Color.Warning,
        RiskAreaLevel.Low => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Default,
    };

    public static MudBlazor.Color ColourOf(ArrivalState state) => state switch
    {
        ArrivalState.Submitted => MudBlazor.Color.Warning,
        ArrivalState.MeasureIssued => MudBlazor.Color.Error,
        ArrivalState.NoMeasureNeeded => MudBlazor.Color.Success,
        _ => MudBlazor.Color.Default,
    };
}
