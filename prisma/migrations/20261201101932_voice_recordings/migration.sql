-- CreateEnum
CREATE TYPE "RecordingStatus" AS ENUM ('PENDING', 'PUBLISHED', 'TAKEN_DOWN', 'NEEDS_REVIEW');

-- CreateTable
CREATE TABLE "NarratorGrant" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "communeCode" TEXT,
    "grantedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "NarratorGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "section" INTEGER,
    "language" TEXT NOT NULL,
    "dialectNote" TEXT NOT NULL DEFAULT '',
    "narratorId" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "communeCode" TEXT,
    "contentVersion" TEXT NOT NULL,
    "status" "RecordingStatus" NOT NULL DEFAULT 'PENDING',
    "durationMs" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploadedBytes" INTEGER NOT NULL,
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "takenDownAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordingAudio" (
    "recordingId" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "RecordingAudio_pkey" PRIMARY KEY ("recordingId")
);

-- CreateTable
CREATE TABLE "RecordingPlayDay" (
    "recordingId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "plays" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RecordingPlayDay_pkey" PRIMARY KEY ("recordingId","day")
);

-- CreateIndex
CREATE INDEX "NarratorGrant_userId_idx" ON "NarratorGrant"("userId");

-- CreateIndex
CREATE INDEX "NarratorGrant_provinceCode_idx" ON "NarratorGrant"("provinceCode");

-- CreateIndex
CREATE INDEX "Recording_lessonId_status_idx" ON "Recording"("lessonId", "status");

-- CreateIndex
CREATE INDEX "Recording_provinceCode_status_idx" ON "Recording"("provinceCode", "status");

-- CreateIndex
CREATE INDEX "Recording_narratorId_createdAt_idx" ON "Recording"("narratorId", "createdAt");

-- AddForeignKey
ALTER TABLE "RecordingAudio" ADD CONSTRAINT "RecordingAudio_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordingPlayDay" ADD CONSTRAINT "RecordingPlayDay_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;

