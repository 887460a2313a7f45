-- A municipality added to an installation (the `gemeente` import, V81) starts with the standard
-- teams, answer templates and routing rules, so its reports are routed from the first day. They are
-- copied from the installation's first municipality: the sets the migrations made (V10, V11), with the
-- changes its staff made since. Team mailboxes are not copied (they are the other municipality's
-- addresses), nor routing rules for a wijk or buurt (those areas are the other municipality's).
-- Nothing happens when the municipality has teams already, or when there is nothing to copy from.
CREATE FUNCTION gemeente_inrichten(nieuw text) RETURNS int
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    bron text;
    teams int;
BEGIN
    IF EXISTS (SELECT 1 FROM team WHERE gemeente_code = nieuw) THEN
        RETURN 0;
    END IF;
    SELECT min(gemeente_code) INTO bron FROM team WHERE gemeente_code <> nieuw;
    IF bron IS NULL THEN
        RETURN 0;
    END IF;

    INSERT INTO team (gemeente_code, code, naam, actief)
    SELECT nieuw, code, naam, actief FROM team WHERE gemeente_code = bron;
    GET DIAGNOSTICS teams = ROW_COUNT;

    INSERT INTO antwoord_sjabloon (gemeente_code, naam, tekst, actief, volgorde)
    SELECT nieuw, naam, tekst, actief, volgorde FROM antwoord_sjabloon WHERE gemeente_code = bron;

    INSERT INTO routeringsregel (gemeente_code, volgorde, rubriek_id, van_uur, tot_uur, team_id, actief)
    SELECT nieuw, r.volgorde, r.rubriek_id, r.van_uur, r.tot_uur, n.id, r.actief
    FROM routeringsregel r
    JOIN team t ON t.gemeente_code = r.gemeente_code AND t.id = r.team_id
    JOIN team n ON n.gemeente_code = nieuw AND n.code = t.code
    WHERE r.gemeente_code = bron AND r.wijk_code IS NULL AND r.buurt_code IS NULL;

    RETURN teams;
END;
$$;
