namespace Shouwang.Web.Features.WorkOrders;

/// <summary>One per circuit: the order page raises it after a change so the navigation's queue counts follow at once.</summary>
public sealed class WorkOrderCountsChanged
{
    public event Action? Changed;

    public void Raise() => Changed?.Invoke();
}
