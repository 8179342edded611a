-- The row index of an accepted file: per-row offsets and de-duplication, grouping and label keys computed while the
-- upload was validated, so that creating a dataset does not parse the file again. Null for files uploaded before
-- indexes existed; those are scanned when a dataset is made from them.
alter table dataset_file add column row_index_artifact_id varchar(80);
