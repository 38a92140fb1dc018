namespace Shouwang.Web.Resources;

/// <summary>Marker for the work-order strings: WorkOrdersResource.resx is Chinese (the neutral language), .en is English.</summary>
public sealed class WorkOrdersResource;
