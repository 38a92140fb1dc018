using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RetestsAndCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    Classification = table.Column<int>(type: "INTEGER", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TubeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FoundAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Retests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TubeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityCode = table.Column<long>(type: "INTEGER", nullable: false),
                    GridId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    RestrictionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    WorkOrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResolvedByTubeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Retests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CommunityCode_GridId_FoundAt",
                table: "Cases",
                columns: new[] { "CommunityCode", "GridId", "FoundAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Number",
                table: "Cases",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_PersonId",
                table: "Cases",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TubeId_PersonId",
                table: "Cases",
                columns: new[] { "TubeId", "PersonId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Retests_PersonId_State",
                table: "Retests",
                columns: new[] { "PersonId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Retests_RoundId_CommunityCode_GridId_State",
                table: "Retests",
                columns: new[] { "RoundId", "CommunityCode", "GridId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Retests_TubeId_PersonId",
                table: "Retests",
                columns: new[] { "TubeId", "PersonId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Cases");

            migrationBuilder.DropTable(
                name: "Retests");
        }
    }
}
