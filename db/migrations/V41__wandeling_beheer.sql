-- Organising wijkwandelingen in the back office (issue #7): what must outlive the participants'
-- personal data, which is deleted a configurable time after the walk (Opschonen).

-- Number of people that took part, frozen when the sign-ups of a finished walk are deleted, so the
-- walk's summary and the KPIs keep the figure. NULL while the sign-ups themselves still exist.
ALTER TABLE wandeling ADD COLUMN deelnemers_na_afloop int CHECK (deelnemers_na_afloop >= 0);

-- Row-level BEFORE DELETE sees earlier rows of the same DELETE as deleted, so the first row of the
-- clean-up statement still sees every participant; later rows find the figure already set.
CREATE FUNCTION wandeling_deelnemers_bewaren() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wandeling w
    SET deelnemers_na_afloop = (SELECT coalesce(sum(a.aantal_personen), 0) FROM wandeling_aanmelding a
                                WHERE a.wandeling_id = w.id AND a.soort = 'deelnemer')
    WHERE w.id = OLD.wandeling_id AND w.deelnemers_na_afloop IS NULL AND w.status = 'gepubliceerd'
      AND w.begint_op + make_interval(mins => w.duur_minuten) < now();
    RETURN OLD;
END;
$$;
CREATE TRIGGER wandeling_deelnemers_bewaren
BEFORE DELETE ON wandeling_aanmelding
FOR EACH ROW EXECUTE FUNCTION wandeling_deelnemers_bewaren();

-- The organiser's list ("mine") and the KPIs (walks per wijk and period).
CREATE INDEX wandeling_organisator_idx ON wandeling (organisator, begint_op);
CREATE INDEX wandeling_wijk_idx ON wandeling (wijk_code, begint_op);
