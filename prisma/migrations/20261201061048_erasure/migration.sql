-- AlterTable
ALTER TABLE "User" ADD COLUMN     "erasedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ErasureLedger" (
    "userId" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL,
    "via" TEXT NOT NULL,

    CONSTRAINT "ErasureLedger_pkey" PRIMARY KEY ("userId")
);

