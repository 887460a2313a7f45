-- "Unusual for this place" alerts (issue 19): besides the repeat rules and the weekly Gi* hotspot,
-- the alert round (web/Features/Wijkbeeld/WijkSignalen.cs) raises an alert for a hexagon cell whose
-- count this month is unusual against its own history (Poisson exceedance, Benjamini-Hochberg
-- corrected; Domein/OngewoonEngine.cs), per configured rule: one category, all categories together,
-- or each category on its own. The rule's stored name carries the month ('ongewoon-alle-100m-2026-12'),
-- and the place is the cell 'i,j'.
ALTER TABLE wijk_signaal DROP CONSTRAINT wijk_signaal_soort_check;
ALTER TABLE wijk_signaal ADD CONSTRAINT wijk_signaal_soort_check CHECK (soort IN ('herhaling', 'hotspot', 'ongewoon'));

-- Once per rule, cell and month: also after the alert went inactive (the cell no longer unusual) the
-- same cell cannot alert again in that month, so a count hovering around the threshold mails once.
CREATE UNIQUE INDEX wijk_signaal_ongewoon_eenmaal ON wijk_signaal (regel, plek) WHERE soort = 'ongewoon';

-- No new table: the app role (wijk_app in infra/wijk) keeps its SELECT, INSERT, UPDATE, DELETE on
-- wijk_signaal, given by app_rechten_geven (V51) after every migration run; the alert test
-- (OngewoonSignaalTests) inserts through the app role.
