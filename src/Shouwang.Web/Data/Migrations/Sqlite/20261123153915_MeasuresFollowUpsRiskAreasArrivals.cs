using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeasuresFollowUpsRiskAreasArrivals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcknowledgedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    AcknowledgedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ArrivalReports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    DocumentType = table.Column<int>(type: "INTEGER", nullable: false),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OriginCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    OriginName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Route = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Transport = table.Column<int>(type: "INTEGER", nullable: false),
                    TransportDetail = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    LeftOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ArrivedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StayAddress = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OriginRiskLevel = table.Column<int>(type: "INTEGER", nullable: true),
                    OriginRiskSource = table.Column<int>(type: "INTEGER", nullable: false),
                    ProposedCategory = table.Column<int>(type: "INTEGER", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CourseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReviewNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ReviewedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReviewedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArrivalReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ControlMeasures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CourseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    StageIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    StageCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PolicyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PolicyCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AnchorDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    IdentifiedDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    StageFirstDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    StartDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    TestDays = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ChecksPerDay = table.Column<int>(type: "INTEGER", nullable: false),
                    Place = table.Column<int>(type: "INTEGER", nullable: false),
                    PlaceName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Basis = table.Column<int>(type: "INTEGER", nullable: false),
                    BasisReference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    EndedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    EndedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SupersededBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ControlMeasures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ControlMeasures_Persons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "Persons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ControlMeasures_Restrictions_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Restrictions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExternalRiskRegions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DivisionCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    FromDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    UntilDay = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalRiskRegions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RiskAreas",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    Scope = table.Column<int>(type: "INTEGER", nullable: false),
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    DowngradedFrom = table.Column<int>(type: "INTEGER", nullable: true),
                    StartDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LevelSince = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    EndDay = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    LastInfectionDay = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskAreas", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RiskAreas_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RiskAreas_Compounds_CompoundId",
                        column: x => x.CompoundId,
                        principalTable: "Compounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FollowUps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MeasureId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    Missed = table.Column<bool>(type: "INTEGER", nullable: false),
                    FlaggedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Reached = table.Column<bool>(type: "INTEGER", nullable: true),
                    Temperature = table.Column<decimal>(type: "TEXT", precision: 4, scale: 1, nullable: true),
                    Symptoms = table.Column<int>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RecordedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FollowUps_ControlMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "ControlMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RiskAreaEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RiskAreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    FromLevel = table.Column<int>(type: "INTEGER", nullable: true),
                    ToLevel = table.Column<int>(type: "INTEGER", nullable: true),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    By = table.Column<Guid>(type: "TEXT", nullable: true),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskAreaEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RiskAreaEvents_RiskAreas_RiskAreaId",
                        column: x => x.RiskAreaId,
                        principalTable: "RiskAreas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RiskAreaReleaseProposals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RiskAreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    ProposedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    FromLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    ToLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    DaysWithoutNewInfection = table.Column<int>(type: "INTEGER", nullable: false),
                    ScreeningDay = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ScreeningRequired = table.Column<int>(type: "INTEGER", nullable: true),
                    ScreeningSampled = table.Column<int>(type: "INTEGER", nullable: true),
                    ScreeningPositive = table.Column<int>(type: "INTEGER", nullable: true),
                    PolicyCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskAreaReleaseProposals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RiskAreaReleaseProposals_RiskAreas_RiskAreaId",
                        column: x => x.RiskAreaId,
                        principalTable: "RiskAreas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RiskAreaScreenings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RiskAreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Required = table.Column<int>(type: "INTEGER", nullable: false),
                    Sampled = table.Column<int>(type: "INTEGER", nullable: false),
                    Positive = table.Column<int>(type: "INTEGER", nullable: false),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RecordedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskAreaScreenings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RiskAreaScreenings_RiskAreas_RiskAreaId",
                        column: x => x.RiskAreaId,
                        principalTable: "RiskAreas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_CommunityCode_AcknowledgedAt_CreatedAt",
                table: "Alerts",
                columns: new[] { "CommunityCode", "AcknowledgedAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ArrivalReports_CommunityCode_State_CreatedAt",
                table: "ArrivalReports",
                columns: new[] { "CommunityCode", "State", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ArrivalReports_DocumentNumber",
                table: "ArrivalReports",
                column: "DocumentNumber");

            migrationBuilder.CreateIndex(
                name: "IX_ArrivalReports_Number",
                table: "ArrivalReports",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ControlMeasures_CommunityCode_State_EndDay_StartDay",
                table: "ControlMeasures",
                columns: new[] { "CommunityCode", "State", "EndDay", "StartDay" });

            migrationBuilder.CreateIndex(
                name: "IX_ControlMeasures_CourseId",
                table: "ControlMeasures",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_ControlMeasures_GridId_State_EndDay",
                table: "ControlMeasures",
                columns: new[] { "GridId", "State", "EndDay" });

            migrationBuilder.CreateIndex(
                name: "IX_ControlMeasures_PersonId",
                table: "ControlMeasures",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_ExternalRiskRegions_DivisionCode_FromDay",
                table: "ExternalRiskRegions",
                columns: new[] { "DivisionCode", "FromDay" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_CommunityCode_Day",
                table: "FollowUps",
                columns: new[] { "CommunityCode", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_GridId_Day",
                table: "FollowUps",
                columns: new[] { "GridId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_MeasureId_Day_Slot",
                table: "FollowUps",
                columns: new[] { "MeasureId", "Day", "Slot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_PersonId",
                table: "FollowUps",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreaEvents_RiskAreaId_At",
                table: "RiskAreaEvents",
                columns: new[] { "RiskAreaId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreaReleaseProposals_CommunityCode_State",
                table: "RiskAreaReleaseProposals",
                columns: new[] { "CommunityCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreaReleaseProposals_RiskAreaId_ProposedOn",
                table: "RiskAreaReleaseProposals",
                columns: new[] { "RiskAreaId", "ProposedOn" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreas_BuildingId",
                table: "RiskAreas",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreas_CommunityCode_State",
                table: "RiskAreas",
                columns: new[] { "CommunityCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreas_CompoundId",
                table: "RiskAreas",
                column: "CompoundId");

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreas_State_BuildingId",
                table: "RiskAreas",
                columns: new[] { "State", "BuildingId" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreas_State_CompoundId",
                table: "RiskAreas",
                columns: new[] { "State", "CompoundId" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskAreaScreenings_RiskAreaId_Day",
                table: "RiskAreaScreenings",
                columns: new[] { "RiskAreaId", "Day" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "ArrivalReports");

            migrationBuilder.DropTable(
                name: "ExternalRiskRegions");

            migrationBuilder.DropTable(
                name: "FollowUps");

            migrationBuilder.DropTable(
                name: "RiskAreaEvents");

            migrationBuilder.DropTable(
                name: "RiskAreaReleaseProposals");

            migrationBuilder.DropTable(
                name: "RiskAreaScreenings");

            migrationBuilder.DropTable(
                name: "ControlMeasures");

            migrationBuilder.DropTable(
                name: "RiskAreas");
        }
    }
}
