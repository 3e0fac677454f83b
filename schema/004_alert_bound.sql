-- trawl store, migration 004 (user_version 4): the grouping each alert rests on. 'lower': a
-- group held together by strong links; 'upper': lower groups joined by weaker links (possible
-- matches, a shared phone, …), whose structuring counts with the profile's
-- detectors.structuring.upper_weight. Alerts stored before this version rest on lower groups.
ALTER TABLE alerts ADD COLUMN bound TEXT NOT NULL DEFAULT 'lower' CHECK (bound IN ('lower', 'upper'));
