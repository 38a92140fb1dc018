using Shouwang.Domain.Restrictions;

namespace Shouwang.Web.Features.StatusColours;

/// <summary>A person's status colour today and why, in words a checkpoint guard can read out.</summary>
public sealed record StatusColourResult(StatusColour Colour, IReadOnlyList<string> Reasons)
{
    public static readonly StatusColourResult Green = new(StatusColour.Green, []);
}

/// <summary>
/// Where status colours (健康码 green/yellow/red) come from. The platform derives its own (<see cref="OwnStatusColour"/>,
/// <c>Shouwang:StatusColour:Source = Own</c>). Where a province's health-code system is authoritative, implement this
/// interface against its API (one batched call per request; a person it does not know is green with no reasons) and
/// register it in DI after the features are added (the last registration wins), e.g.
/// <c>services.AddSingleton&lt;IStatusColourSource, ProvincialHealthCode&gt;()</c>, with the setting naming it. Checkpoints and the
/// restriction status ask only this interface; whether a person may pass a checkpoint stays the platform's own decision.
/// </summary>
public interface IStatusColourSource
{
    /// <summary>Every asked person appears in the answer (green with no reasons when nothing applies); unknown ids may be left out.</summary>
    Task<IReadOnlyDictionary<Guid, StatusColourResult>> ColoursAsync(IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken = default);
}
