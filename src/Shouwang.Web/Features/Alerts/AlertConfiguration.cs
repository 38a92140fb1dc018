using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Alerts;

namespace Shouwang.Web.Features.Alerts;

public sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("Alerts");
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.Property(a => a.AcknowledgedByName).HasMaxLength(100);
        builder.HasIndex(a => new { a.CommunityCode, a.AcknowledgedAt, a.CreatedAt });
    }
}
