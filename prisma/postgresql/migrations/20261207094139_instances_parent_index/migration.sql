-- CreateIndex
CREATE INDEX "instances_parent_id_idx" ON "instances"("parent_id");
