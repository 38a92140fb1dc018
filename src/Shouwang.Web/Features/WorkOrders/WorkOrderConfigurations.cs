using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.WorkOrders;

namespace Shouwang.Web.Features.WorkOrders;

public sealed class WorkOrderConfiguration : IEntityTypeConfiguration<WorkOrder>
{
    public void Configure(EntityTypeBuilder<WorkOrder> builder)
    {
        builder.Property(w => w.Number).HasMaxLength(20);
        builder.Property(w => w.Title).HasMaxLength(100);
        builder.Property(w => w.Description).HasMaxLength(2000);
        builder.Property(w => w.Place).HasMaxLength(200);
        builder.Property(w => w.SentBackReason).HasMaxLength(500);
        builder.Property(w => w.Resolution).HasMaxLength(2000);
        builder.Property(w => w.ReporterName).HasMaxLength(50);
        builder.Property(w => w.ReporterPhone).HasMaxLength(20);
        builder.HasIndex(w => w.Number).IsUnique();
        builder.HasIndex(w => new { w.CommunityCode, w.Status, w.DueAt });
        builder.HasIndex(w => new { w.GridId, w.Status });
        builder.HasIndex(w => new { w.AssigneeAccountId, w.Status });
        builder.HasIndex(w => new { w.AssigneeTeamId, w.Status });
        builder.HasIndex(w => new { w.AssigneeGridId, w.Status });
        builder.HasIndex(w => new { w.Status, w.DueAt });
        builder.HasIndex(w => new { w.ReporterPhone, w.CreatedAt });
    }
}

public sealed class WorkOrderEventConfiguration : IEntityTypeConfiguration<WorkOrderEvent>
{
    public void Configure(EntityTypeBuilder<WorkOrderEvent> builder)
    {
        builder.Property(e => e.Actor).HasMaxLength(100);
        builder.Property(e => e.Text).HasMaxLength(2000);
        builder.Property(e => e.Assignee).HasMaxLength(100);
        builder.HasIndex(e => new { e.WorkOrderId, e.At });
        builder.HasOne<WorkOrder>().WithMany().HasForeignKey(e => e.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(50);
        builder.HasIndex(t => new { t.CommunityCode, t.Name }).IsUnique();
        builder.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> builder)
    {
        builder.HasKey(m => new { m.TeamId, m.AccountId });
        builder.HasIndex(m => m.AccountId);
    }
}
