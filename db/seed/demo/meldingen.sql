-- Demo reports: a realistic spread over the imported buurten of whichever municipality is loaded,
-- for the demo and benchmarks.
-- Run by `Wijkmeldingen.Web seed` inside one transaction with these settings:
--   wijk.demo_aantal  how many reports to generate (default a few thousand, up to millions)
--   wijk.demo_zaad    random seed in [-1, 1], so a run is reproducible
-- Shape of the data:
--   * ~72 % spread over the buurten in proportion to their inhabitants (CBS 2024);
--   * ~28 % in a handful of genuine clusters, each with its own dominant category (parking and youth
--     nuisance in the busiest buurt, speeding, burglary, ...), in the buurten with the most inhabitants;
--   * three years of history, growing towards today (rising meldingsbereidheid);
--   * hour of day and weekday that fit the category (youth nuisance at night and weekends,
--     speeding around school times), and statuses that fit the report's age.
-- Demo rows carry is_demo = true so they can be told apart from real reports.

SELECT setseed(current_setting('wijk.demo_zaad')::float8);

-- Category weights (percent of reports).
CREATE TEMP TABLE demo_rubriek ON COMMIT DROP AS
SELECT r.id, r.code,
       sum(w.gewicht) OVER (ORDER BY r.volgorde) - w.gewicht AS van,
       sum(w.gewicht) OVER (ORDER BY r.volgorde) AS tot
FROM rubriek r
JOIN (VALUES
    ('woonoverlast', 12), ('jeugdoverlast', 15), ('te-hard-rijden', 18), ('verkeersagressie', 8),
    ('parkeeroverlast', 22), ('inbraak-diefstal', 10), ('drugsafval', 2), ('verdachte-situatie', 6),
    ('zorgen-om-iemand', 7)
) AS w (code, gewicht) ON w.code = r.code;

-- Clusters: a centre inside a buurt (by its rank in inhabitants, so they work in any municipality;
-- with fewer buurten the ranks wrap round), a spread (metres, 1 sigma), a share of all cluster reports
-- and the category most of its reports have. The centre keeps 60 m from the buurt's edge where it can.
CREATE TEMP TABLE demo_cluster ON COMMIT DROP AS
SELECT c.nr, c.rubriek, c.sigma, c.aandeel,
       (ST_Dump(ST_GeneratePoints(CASE WHEN ST_IsEmpty(ST_Buffer(b.geom, -60)) THEN b.geom ELSE ST_Buffer(b.geom, -60) END,
                                  1, c.nr))).geom AS centrum
FROM (VALUES
    (1, 1, 'parkeeroverlast',  60, 0.20),
    (2, 1, 'jeugdoverlast',    45, 0.14),
    (3, 2, 'te-hard-rijden',   80, 0.14),
    (4, 3, 'woonoverlast',     40, 0.08),
    (5, 4, 'jeugdoverlast',    50, 0.10),
    (6, 5, 'inbraak-diefstal', 90, 0.12),
    (7, 6, 'drugsafval',      120, 0.05),
    (8, 7, 'verkeersagressie', 70, 0.09),
    (9, 8, 'parkeeroverlast',  50, 0.08)
) AS c (nr, rang, rubriek, sigma, aandeel)
JOIN (SELECT geom, row_number() OVER (ORDER BY inwoners DESC NULLS LAST, code) AS rang, count(*) OVER () AS aantal
      FROM buurt) b ON b.rang = (c.rang - 1) % b.aantal + 1;

CREATE TEMP TABLE demo_punt (
    geom     geometry(Point, 28992) NOT NULL,
    rubriek  text,
    -- Random order for trimming to the exact count. (ORDER BY random() in the select below would be
    -- matched to the random() columns there and make them all equal.)
    volgorde float8 NOT NULL DEFAULT random()
) ON COMMIT DROP;

-- Background: uniform within each buurt, proportional to inhabitants. 5 % extra, trimmed below.
INSERT INTO demo_punt (geom)
SELECT (ST_Dump(ST_GeneratePoints(b.geom,
            greatest(1, ceil(current_setting('wijk.demo_aantal')::int * 0.72 * 1.05 * b.inwoners / t.totaal))::int,
            abs(hashtext(b.code)) + 1))).geom
FROM buurt b
CROSS JOIN (SELECT sum(inwoners)::float8 AS totaal FROM buurt) t;

-- Clusters: Gaussian spread around each centre (Box-Muller).
INSERT INTO demo_punt (geom, rubriek)
SELECT ST_Translate(c.centrum, g.r * c.sigma * cos(g.hoek), g.r * c.sigma * sin(g.hoek)), c.rubriek
FROM demo_cluster c
CROSS JOIN LATERAL generate_series(1, ceil(current_setting('wijk.demo_aantal')::int * 0.28 * 1.10 * c.aandeel)::int) AS i
CROSS JOIN LATERAL (SELECT sqrt(-2 * ln(1 - random() + i * 0)) AS r, 2 * pi() * random() AS hoek) g;

-- Draw the reports' random attributes in one pass; the point-in-polygon happens once, here.
CREATE TEMP TABLE demo_melding ON COMMIT DROP AS
SELECT p.geom, b.code AS buurt_code, b.wijk_code, p.rubriek AS cluster_rubriek,
       random() AS u_cluster, random() * 100 AS u_rubriek,
       -- Days ago, denser towards today: 1 - sqrt(u) piles up near 0.
       (1095 * (1 - sqrt(random())))::int AS dagen_geleden,
       random() AS u_uur, random() AS u_dag, random() AS u_status, random() AS u_duur, random() AS u_tekst,
       random() AS u_straat
FROM demo_punt p
JOIN LATERAL (SELECT code, wijk_code FROM buurt WHERE ST_Covers(geom, p.geom) ORDER BY code LIMIT 1) b ON true
ORDER BY p.volgorde
LIMIT current_setting('wijk.demo_aantal')::int;

-- The trigger checks each point again; every point here was already matched to a buurt above, so
-- it is switched off for the bulk insert (millions of rows) and on again right after.
ALTER TABLE melding DISABLE TRIGGER melding_plaats_in_gemeente;

WITH bron AS (
    SELECT d.*, r.code AS rubriek, r.id AS rubriek_id,
           -- Hour of day by category.
           CASE r.code
               WHEN 'jeugdoverlast'   THEN (19 + floor(d.u_uur * 8))::int % 24
               WHEN 'woonoverlast'    THEN (18 + floor(d.u_uur * 9))::int % 24
               WHEN 'te-hard-rijden'  THEN (ARRAY[7, 8, 8, 12, 15, 16, 17, 17, 18, 21])[1 + floor(d.u_uur * 10)::int]
               WHEN 'parkeeroverlast' THEN (8 + floor(d.u_uur * 12))::int
               WHEN 'drugsafval'      THEN (6 + floor(d.u_uur * 5))::int
               ELSE (7 + floor(d.u_uur * 16))::int
           END AS uur,
           -- Youth nuisance leans to Friday/Saturday: move part of it to the next Saturday.
           CASE WHEN r.code = 'jeugdoverlast' AND d.u_dag < 0.15
                THEN greatest(0, d.dagen_geleden - ((6 - extract(isodow FROM current_date - d.dagen_geleden)::int + 7) % 7))
                ELSE d.dagen_geleden END AS dagen
    FROM demo_melding d
    -- A cluster's own category for 80 % of its reports; the weighted draw for everything else.
    JOIN demo_rubriek r ON CASE WHEN d.cluster_rubriek IS NOT NULL AND d.u_cluster < 0.8
                                THEN r.code = d.cluster_rubriek
                                ELSE r.van <= d.u_rubriek AND d.u_rubriek < r.tot END
), getimed AS (
    SELECT b.*,
           least(now() - interval '5 minutes',
                 (current_date - b.dagen)::timestamp AT TIME ZONE 'Europe/Amsterdam'
                 + make_interval(hours => b.uur, mins => floor(b.u_dag * 60)::int)) AS aangemaakt,
           CASE
               WHEN b.dagen > 60 THEN
                   CASE WHEN b.u_status < 0.75 THEN 'afgehandeld' WHEN b.u_status < 0.85 THEN 'afgewezen'
                        WHEN b.u_status < 0.90 THEN 'doorgezet'   WHEN b.u_status < 0.98 THEN 'in-behandeling'
                        ELSE 'heropend' END
               WHEN b.dagen > 14 THEN
                   CASE WHEN b.u_status < 0.40 THEN 'afgehandeld' WHEN b.u_status < 0.45 THEN 'afgewezen'
                        WHEN b.u_status < 0.60 THEN 'doorgezet'   WHEN b.u_status < 0.85 THEN 'in-behandeling'
                        ELSE 'gemeld' END
               ELSE
                   CASE WHEN b.u_status < 0.55 THEN 'gemeld' WHEN b.u_status < 0.85 THEN 'in-behandeling'
                        WHEN b.u_status < 0.93 THEN 'doorgezet' ELSE 'afgehandeld' END
           END AS status
    FROM bron b
), ingevoegd AS (
    INSERT INTO melding (rubriek_id, omschrijving, locatie, buurt_code, wijk_code, status,
                         voorgevallen_op, aangemaakt_op, gewijzigd_op, is_demo)
    SELECT g.rubriek_id,
           -- Varied texts per category; where the municipality's BAG addresses are imported, about
           -- half name the nearest street (never an invented one).
           CASE g.rubriek
               WHEN 'woonoverlast' THEN (ARRAY[
                   'Al weken harde muziek tot diep in de nacht bij de buren.',
                   'Afval en grofvuil naast de woning, trekt ongedierte aan.',
                   'Bewoners van een portiekwoning intimideren andere bewoners.',
                   'Elke nacht geschreeuw en deuren die dichtslaan in het portiek, we slapen slecht.',
                   'De tuin naast ons ligt vol rommel en er lopen ratten rond.',
                   'Buren laten hun hond de hele dag blaffen als ze weg zijn.',
                   'In het trappenhuis ruikt het sterk naar hasj, de kinderen lopen er elke dag langs.',
                   'Feestje met harde bassen doordeweeks tot drie uur ''s nachts.',
                   'Er wordt vanaf een balkon afval naar beneden gegooid.',
                   'Bij het appartementencomplex staan al dagen vuilniszakken naast de container.'])[1 + floor(g.u_tekst * 10)::int]
               WHEN 'jeugdoverlast' THEN (ARRAY[
                   'Groep jongeren hangt elke avond bij het speelveld, veel lawaai en afval.',
                   'Jongeren op scooters rijden rondjes over het plein en schreeuwen.',
                   'Vernieling van bankjes en prullenbakken, vermoedelijk door een groep jongeren.',
                   'Er wordt vuurwerk afgestoken in het portiek, ook al is het geen oud en nieuw.',
                   'Jongeren hangen bij de ingang van de supermarkt en spreken voorbijgangers brutaal aan.',
                   'Lachgasflesjes en lege blikjes op het grasveld na een avond met een groep jongeren.',
                   '''s Avonds harde muziek uit een speaker bij het bankje, tot na middernacht.',
                   'Jongeren klimmen op het dak van de gymzaal en gooien met stenen.',
                   'Bij het bushokje is de ruit weer ingegooid.',
                   'Een groep jongens daagt fietsers uit en gooit met eieren.'])[1 + floor(g.u_tekst * 10)::int]
               WHEN 'te-hard-rijden' THEN (ARRAY[
                   'Auto''s rijden hier veel te hard, vooral rond schooltijd.',
                   'Scooters scheuren door de 30-km-straat.',
                   'Iedere ochtend sluipverkeer dat veel te hard rijdt.',
                   '''s Avonds wordt hier geracet, je hoort de motoren door de hele wijk.',
                   'Bestelbusjes rijden met hoge snelheid langs de speeltuin.',
                   'Bij de oversteekplaats wordt nauwelijks afgeremd, kinderen kunnen bijna niet oversteken.',
                   'Motoren trekken hier op het rechte stuk flink op, elke zondag weer.',
                   'Auto''s rijden te hard over de drempel en het fietspad op de hoek.'])[1 + floor(g.u_tekst * 8)::int]
               WHEN 'verkeersagressie' THEN (ARRAY[
                   'Automobilist toeterde en reed bumperklevend achter een fietser.',
                   'Ruzie tussen bestuurders bij de kruising, met dreigende taal.',
                   'Een automobilist stapte uit en schold een fietser uit die hem niet snel genoeg doorliet.',
                   'Bij de rotonde wordt fietsers geregeld de voorrang afgenomen, met gebaren erbij.',
                   'Een bestuurder reed expres op voetgangers bij het zebrapad af.',
                   'Scooterrijder bedreigde een ouder die er iets van zei dat hij over de stoep reed.'])[1 + floor(g.u_tekst * 6)::int]
               WHEN 'parkeeroverlast' THEN (ARRAY[
                   'Auto''s parkeren op de stoep, kinderwagens en rolstoelen kunnen er niet langs.',
                   'Bestelbus staat al dagen op de invalidenparkeerplaats.',
                   'Dubbel geparkeerd bij de winkels, de bus kan er niet door.',
                   'Bij de school wordt elke ochtend op het fietspad geparkeerd.',
                   'Een aanhanger staat al weken op dezelfde parkeerplek.',
                   'Auto''s staan in de bocht geparkeerd, je kunt het verkeer niet zien aankomen.',
                   'Busje parkeert steeds voor de uitrit, we kunnen de auto niet uit de garage halen.',
                   'Auto''s parkeren in het groen, het gras is een modderpoel geworden.',
                   'Een caravan staat al een maand in de straat.',
                   'Bij de sportvelden wordt op zaterdag overal op de stoep geparkeerd.'])[1 + floor(g.u_tekst * 10)::int]
               WHEN 'inbraak-diefstal' THEN (ARRAY[
                   'Verdachte personen die bij meerdere woningen door de ramen keken.',
                   'Fietsen uit de schuur gestolen, meer buren hebben hetzelfde meegemaakt.',
                   'Twee mannen probeerden deurklinken van geparkeerde auto''s.',
                   'Bij een woning stond ''s nachts een raam open dat geforceerd lijkt.',
                   'Er is ingebroken in de berging van het appartementencomplex.',
                   'Iemand liep met een zaklamp door de achtertuinen.',
                   'Pakketje van de stoep gestolen, op de deurbelcamera zie je een man op een fiets.'])[1 + floor(g.u_tekst * 7)::int]
               WHEN 'drugsafval' THEN (ARRAY[
                   'Jerrycans en vaten met een sterke chemische geur gedumpt langs het pad.',
                   'Blauwe vaten en plastic zakken met een zure lucht in de berm gevonden.',
                   'Bij de sloot staan jerrycans met een anijsachtige geur.',
                   'Dozen met lege verpakkingen en handschoenen gedumpt bij het bosje, het stinkt er chemisch.'])[1 + floor(g.u_tekst * 4)::int]
               WHEN 'verdachte-situatie' THEN (ARRAY[
                   'Ramen van een pand zijn altijd afgeplakt, veel komen en gaan in de nacht.',
                   'Sterke hennepgeur bij een bedrijfspand.',
                   'Bij een woning stoppen de hele avond auto''s die na een paar minuten weer wegrijden.',
                   'Een bedrijfsruimte staat leeg maar er brandt dag en nacht licht en de ventilatie draait.',
                   'Steeds andere mensen met koffers bij een woning, het lijkt een verhuurpand.',
                   'Er wordt in een geparkeerde auto gedeald, steeds op dezelfde plek.'])[1 + floor(g.u_tekst * 6)::int]
               ELSE (ARRAY[
                   'Een buurtbewoner lijkt verward en loopt ''s nachts over straat.',
                   'Een oudere buurman is de weg kwijt en belt bij iedereen aan.',
                   'Een vrouw zit al dagen op het bankje en lijkt niet goed voor zichzelf te zorgen.',
                   'Buurman roept ''s nachts hard in zichzelf en lijkt erg in de war.',
                   'Een man slaapt al een paar nachten in het portiek.'])[1 + floor(g.u_tekst * 5)::int]
           END
           || CASE WHEN s.straat IS NULL THEN ''
                   WHEN g.u_straat < 0.3 THEN ' Het gaat om de ' || s.straat || '.'
                   ELSE ' Ter hoogte van de ' || s.straat || '.' END,
           g.geom, g.buurt_code, g.wijk_code, g.status,
           CASE WHEN g.u_tekst < 0.3 THEN g.aangemaakt - interval '2 hours' END,
           g.aangemaakt,
           CASE WHEN g.status = 'gemeld' THEN g.aangemaakt
                ELSE least(now(), g.aangemaakt + make_interval(hours => 2 + floor(g.u_duur * g.u_duur * 40 * 24)::int)) END,
           true
    FROM getimed g
    LEFT JOIN LATERAL (
        SELECT a.straat FROM adres a
        WHERE g.u_straat < 0.6 AND ST_DWithin(a.punt, g.geom, 150)
        ORDER BY a.punt <-> g.geom LIMIT 1
    ) s ON true
    RETURNING id, status, aangemaakt_op, gewijzigd_op
)
INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht, tijdstip)
SELECT id, NULL, 'gemeld', 'melder', NULL, aangemaakt_op FROM ingevoegd
UNION ALL
SELECT id, 'gemeld', status, 'systeem (demo)',
       CASE status WHEN 'afgehandeld' THEN 'Dank voor uw melding. We hebben deze afgehandeld.'
                   WHEN 'afgewezen'   THEN 'We kunnen hier helaas niets mee doen.'
                   WHEN 'doorgezet'   THEN 'Uw melding is doorgezet naar onze partner.' END,
       gewijzigd_op
FROM ingevoegd WHERE status <> 'gemeld';

ALTER TABLE melding ENABLE TRIGGER melding_plaats_in_gemeente;
