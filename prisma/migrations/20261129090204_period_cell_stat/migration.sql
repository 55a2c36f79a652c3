-- ADR 010: the breakdowns' rollup is kept per commune × period (month, quarter, year) × demographic
-- cell instead of per day × course × cell, with the period's distinct active learners beside the
-- counts. DailyStat is copied into it (then dropped), ActivePeriod gives `active`.

-- CreateTable
CREATE TABLE "PeriodCellStat" (
    "communeCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "sex" TEXT NOT NULL DEFAULT '',
    "ageBand" TEXT NOT NULL DEFAULT '',
    "ethnicGroup" TEXT NOT NULL DEFAULT '',
    "learnerGroup" TEXT NOT NULL DEFAULT '',
    "registered" INTEGER NOT NULL DEFAULT 0,
    "enrolments" INTEGER NOT NULL DEFAULT 0,
    "completions" INTEGER NOT NULL DEFAULT 0,
    "certificates" INTEGER NOT NULL DEFAULT 0,
    "basicSkills" INTEGER NOT NULL DEFAULT 0,
    "active" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PeriodCellStat_pkey" PRIMARY KEY ("communeCode","period","sex","ageBand","ethnicGroup","learnerGroup")
);

-- CreateIndex
CREATE INDEX "PeriodCellStat_provinceCode_period_idx" ON "PeriodCellStat"("provinceCode", "period");

-- Backfill: DailyStat's day is already the Vietnamese calendar day.
INSERT INTO "PeriodCellStat" ("communeCode", "provinceCode", "period", "sex", "ageBand", "ethnicGroup", "learnerGroup", "registered", "enrolments", "completions", "certificates", "basicSkills")
SELECT d."communeCode", d."provinceCode", p.period, d."sex", d."ageBand", d."ethnicGroup", d."learnerGroup",
       SUM(d."registered"), SUM(d."enrolments"), SUM(d."completions"), SUM(d."certificates"), SUM(d."basicSkills")
FROM "DailyStat" d
CROSS JOIN LATERAL (VALUES (to_char(d."day", 'YYYY-MM')), (to_char(d."day", 'YYYY-"Q"Q')), (to_char(d."day", 'YYYY'))) AS p(period)
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO "PeriodCellStat" ("communeCode", "provinceCode", "period", "sex", "ageBand", "ethnicGroup", "learnerGroup", "active")
SELECT "communeCode", "provinceCode", "period", "sex", "ageBand", "ethnicGroup", "learnerGroup", COUNT(*)
FROM "ActivePeriod"
GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT ("communeCode", "period", "sex", "ageBand", "ethnicGroup", "learnerGroup") DO UPDATE SET "active" = EXCLUDED."active";

-- DropTable
DROP TABLE "DailyStat";
