namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of account administration, reveal and the audit viewer (AdminResource.resx).</summary>
public sealed class AdminResource;
