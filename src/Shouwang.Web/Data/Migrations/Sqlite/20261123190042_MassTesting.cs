using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MassTesting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Samples",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TubeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SampledAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SamplerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SamplerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    WasOffline = table.Column<bool>(type: "INTEGER", nullable: false),
                    RemovedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RemovedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RemovedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Removal = table.Column<int>(type: "INTEGER", nullable: true),
                    MovedToTubeId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Samples", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SamplingSites",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OpensAt = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    ClosesAt = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SamplingSites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TestingRounds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartsAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndsAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PoolSize = table.Column<int>(type: "INTEGER", nullable: false),
                    RequiredResidenceTypes = table.Column<int>(type: "INTEGER", nullable: false),
                    InfantsUnderYears = table.Column<int>(type: "INTEGER", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TestingRounds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TransferBoxes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SiteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    TubeCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    HandedOverAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HandedOverByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Lab = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReceivedCount = table.Column<int>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TransferBoxes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Tubes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Barcode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SiteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpenedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    OpenedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SealedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    BoxId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Result = table.Column<int>(type: "INTEGER", nullable: false),
                    ResultAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CtValues = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Lab = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tubes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SamplingSiteStaff",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SiteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AssignedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SamplingSiteStaff", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SamplingSiteStaff_SamplingSites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "SamplingSites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RoundExemptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Reason = table.Column<int>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    By = table.Column<Guid>(type: "TEXT", nullable: true),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoundExemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RoundExemptions_TestingRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "TestingRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TestingRoundScopes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    NodeCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Min = table.Column<long>(type: "INTEGER", nullable: false),
                    Max = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TestingRoundScopes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TestingRoundScopes_TestingRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "TestingRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RoundExemptions_RoundId_CommunityCode_GridId",
                table: "RoundExemptions",
                columns: new[] { "RoundId", "CommunityCode", "GridId" });

            migrationBuilder.CreateIndex(
                name: "IX_RoundExemptions_RoundId_PersonId",
                table: "RoundExemptions",
                columns: new[] { "RoundId", "PersonId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Samples_PersonId_SampledAt",
                table: "Samples",
                columns: new[] { "PersonId", "SampledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_RoundId_CommunityCode_GridId",
                table: "Samples",
                columns: new[] { "RoundId", "CommunityCode", "GridId" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_RoundId_PersonId",
                table: "Samples",
                columns: new[] { "RoundId", "PersonId" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_TubeId",
                table: "Samples",
                column: "TubeId");

            migrationBuilder.CreateIndex(
                name: "IX_SamplingSites_CommunityCode_Name",
                table: "SamplingSites",
                columns: new[] { "CommunityCode", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_SamplingSiteStaff_AccountId",
                table: "SamplingSiteStaff",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_SamplingSiteStaff_SiteId_AccountId",
                table: "SamplingSiteStaff",
                columns: new[] { "SiteId", "AccountId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TestingRounds_StartsAt",
                table: "TestingRounds",
                column: "StartsAt");

            migrationBuilder.CreateIndex(
                name: "IX_TestingRoundScopes_Min_Max",
                table: "TestingRoundScopes",
                columns: new[] { "Min", "Max" });

            migrationBuilder.CreateIndex(
                name: "IX_TestingRoundScopes_RoundId_NodeCode",
                table: "TestingRoundScopes",
                columns: new[] { "RoundId", "NodeCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TransferBoxes_Number",
                table: "TransferBoxes",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TransferBoxes_RoundId_SiteId",
                table: "TransferBoxes",
                columns: new[] { "RoundId", "SiteId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tubes_Barcode",
                table: "Tubes",
                column: "Barcode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tubes_BoxId",
                table: "Tubes",
                column: "BoxId");

            migrationBuilder.CreateIndex(
                name: "IX_Tubes_RoundId_Result",
                table: "Tubes",
                columns: new[] { "RoundId", "Result" });

            migrationBuilder.CreateIndex(
                name: "IX_Tubes_RoundId_SiteId_State",
                table: "Tubes",
                columns: new[] { "RoundId", "SiteId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RoundExemptions");

            migrationBuilder.DropTable(
                name: "Samples");

            migrationBuilder.DropTable(
                name: "SamplingSiteStaff");

            migrationBuilder.DropTable(
                name: "TestingRoundScopes");

            migrationBuilder.DropTable(
                name: "TransferBoxes");

            migrationBuilder.DropTable(
                name: "Tubes");

            migrationBuilder.DropTable(
                name: "SamplingSites");

            migrationBuilder.DropTable(
                name: "TestingRounds");
        }
    }
}
