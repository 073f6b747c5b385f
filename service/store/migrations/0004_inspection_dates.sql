-- Inspections: the day the seller would like the inspection (optional), and when the
-- request last changed (NULL for rows written before this column: read it as the latest
-- of the other times).
ALTER TABLE inspection_requests ADD COLUMN preferred_date date;
ALTER TABLE inspection_requests ADD COLUMN updated_at timestamptz;
