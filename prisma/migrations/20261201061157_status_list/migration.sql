-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "statusListId" INTEGER,
ADD COLUMN     "statusListIndex" INTEGER;

-- CreateTable
CREATE TABLE "StatusList" (
    "id" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'revocation',
    "length" INTEGER NOT NULL,
    "seed" TEXT NOT NULL,
    "bits" BYTEA NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusList_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_statusListId_statusListIndex_key" ON "Certificate"("statusListId", "statusListIndex");


-- Written by hand (ADR 016): the entry numbers (not in the Prisma schema, which has no sequences
-- outside an autoincrement column), and the list's shape as the database's own rule.
CREATE SEQUENCE "StatusListEntrySeq" AS BIGINT MINVALUE 0 START WITH 0;
ALTER TABLE "StatusList" ADD CONSTRAINT "StatusList_shape" CHECK ("length" >= 131072 AND "length" % 8 = 0 AND octet_length("bits") * 8 = "length");
