-- Issue 18: extra questions per category (data, edited by staff on /beheer/rubrieken/{id}), the
-- melder's answers stored with the report, and the category-suggestion model trained from handled
-- reports.

-- One question of a category's form. Kinds:
--   'tekst'     free text (at most 500 characters)
--   'keuze'     one of `keuzes` (the Dutch lines; `keuzes_en` the English lines in the same order)
--   'janee'     ja / nee
--   'datum'     a date (yyyy-MM-dd)
--   'tijd'      a time of day (HH:mm)
--   'stop'      a stop: with stop_altijd the category cannot be reported here at all and the form shows
--               `vraag` (the reason) and the number to call; otherwise `vraag` is a yes/no question and
--               "ja" stops the filing with `toelichting` and the number to call.
CREATE TABLE rubriek_vraag (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rubriek_id   smallint NOT NULL REFERENCES rubriek (id) ON DELETE CASCADE,
    -- Stable key: the form field, Open311's attribute[code].
    code         text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$' AND code <> 'voorgevallen_op'),
    soort        text NOT NULL CHECK (soort IN ('tekst', 'keuze', 'janee', 'datum', 'tijd', 'stop')),
    verplicht    boolean NOT NULL DEFAULT false,
    vraag        text NOT NULL CHECK (length(vraag) BETWEEN 1 AND 300),
    vraag_en     text CHECK (length(vraag_en) <= 300),
    toelichting  text CHECK (length(toelichting) <= 500),
    toelichting_en text CHECK (length(toelichting_en) <= 500),
    keuzes       text[] NOT NULL DEFAULT '{}',
    keuzes_en    text[] NOT NULL DEFAULT '{}',
    -- For a stop: the number shown as a call link (112, 0900-8844, ...).
    telefoon     text CHECK (telefoon ~ '^[0-9][0-9 -]{1,19}$'),
    stop_altijd  boolean NOT NULL DEFAULT false,
    volgorde     smallint NOT NULL DEFAULT 0,
    UNIQUE (rubriek_id, code),
    CHECK (soort <> 'keuze' OR cardinality(keuzes) >= 2),
    CHECK (soort <> 'stop' OR telefoon IS NOT NULL)
);
CREATE INDEX rubriek_vraag_rubriek_idx ON rubriek_vraag (rubriek_id, volgorde);

-- The melder's answers, with the question as it was asked (a later edit of the question does not
-- change what the melder answered to). Personal data: emptied with the report's anonymisation
-- (Bewaartermijnen.AnonimiserenRegel) and deleted with the report.
CREATE TABLE melding_antwoord (
    melding_id  bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    code        text NOT NULL,
    vraag       text NOT NULL,
    antwoord    text NOT NULL,
    volgorde    smallint NOT NULL,
    PRIMARY KEY (melding_id, code)
);

-- The category-suggestion model (ML.NET, zipped), replaced by each training round; the newest row is used.
CREATE TABLE rubriek_model (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    getraind_op   timestamptz NOT NULL DEFAULT now(),
    aantal        integer NOT NULL,
    rubrieken     integer NOT NULL,
    -- The highest melding.gewijzigd_op the round saw: the next round retrains only when something changed.
    tot           timestamptz,
    model         bytea NOT NULL
);

-- The starting set of questions for the default categories (only those that still exist). All are
-- optional, so Open311 clients that file today without attributes keep working; a stop still stops
-- when answered "ja", and staff can make a question required.
INSERT INTO rubriek_vraag (rubriek_id, code, soort, verplicht, vraag, vraag_en, toelichting, toelichting_en,
                           keuzes, keuzes_en, telefoon, stop_altijd, volgorde)
SELECT r.id, v.code, v.soort, v.verplicht, v.vraag, v.vraag_en, v.toelichting, v.toelichting_en,
       v.keuzes, v.keuzes_en, v.telefoon, false, v.volgorde
FROM (VALUES
    ('drugsafval', 'gevaar', 'stop', false,
     'Lekt er iets, ruikt u een sterke chemische lucht of voelt u zich niet goed?',
     'Is anything leaking, do you smell a strong chemical odour or do you feel unwell?',
     'Ga direct weg bij het afval.', 'Move away from the waste at once.',
     '{}'::text[], '{}'::text[], '112', 1),
    ('drugsafval', 'gevonden', 'keuze', false, 'Wat heeft u gevonden?', 'What did you find?', NULL, NULL,
     '{Vaten of jerrycans,Zakken met afval,Flessen met vloeistof,Resten van een kwekerij,Iets anders}',
     '{Drums or jerrycans,Bags of waste,Bottles of liquid,Remains of a grow site,Something else}', NULL, 2),
    ('drugsafval', 'nog_aanwezig', 'janee', false, 'Ligt het er nu nog?', 'Is it still there now?', NULL, NULL,
     '{}', '{}', NULL, 3),
    ('te-hard-rijden', 'wanneer_meest', 'keuze', false, 'Wanneer gebeurt het het meest?', 'When does it happen most?', NULL, NULL,
     '{''s Ochtends (6-12 uur),''s Middags (12-18 uur),''s Avonds (18-24 uur),''s Nachts (0-6 uur),De hele dag}',
     '{In the morning (6-12),In the afternoon (12-18),In the evening (18-24),At night (0-6),All day}', NULL, 1),
    ('te-hard-rijden', 'tijdstip', 'tijd', false, 'Op welk tijdstip zag u het het laatst?', 'At what time did you last see it?',
     NULL, NULL, '{}', '{}', NULL, 2),
    ('te-hard-rijden', 'voertuig', 'keuze', false, 'Om wat voor voertuigen gaat het?', 'What kind of vehicles?', NULL, NULL,
     '{Auto''s,Scooters of brommers,Motoren,Vrachtwagens,Verschillende}',
     '{Cars,Scooters or mopeds,Motorcycles,Lorries,Several kinds}', NULL, 3),
    ('verkeersagressie', 'gevaar', 'stop', false, 'Is er nu iemand in gevaar?', 'Is anyone in danger right now?',
     'Dit is spoed.', 'This is urgent.', '{}', '{}', '112', 1),
    ('verkeersagressie', 'kenteken', 'tekst', false, 'Heeft u een kenteken gezien?', 'Did you see a licence plate?', NULL, NULL,
     '{}', '{}', NULL, 2),
    ('parkeeroverlast', 'wanneer_meest', 'keuze', false, 'Wanneer gebeurt het het meest?', 'When does it happen most?', NULL, NULL,
     '{Doordeweeks overdag,Doordeweeks ''s avonds,In het weekend,Steeds}',
     '{Weekdays by day,Weekday evenings,At the weekend,All the time}', NULL, 1),
    ('parkeeroverlast', 'blokkeert', 'janee', false, 'Blokkeert het een uitrit, stoep of nooduitgang?',
     'Does it block a driveway, pavement or emergency exit?', NULL, NULL, '{}', '{}', NULL, 2),
    ('jeugdoverlast', 'wanneer_meest', 'keuze', false, 'Wanneer gebeurt het het meest?', 'When does it happen most?', NULL, NULL,
     '{''s Middags,''s Avonds,''s Nachts,In het weekend}', '{In the afternoon,In the evening,At night,At the weekend}', NULL, 1),
    ('jeugdoverlast', 'aantal', 'keuze', false, 'Met hoeveel jongeren ongeveer?', 'About how many young people?', NULL, NULL,
     '{1 tot 5,5 tot 10,Meer dan 10}', '{1 to 5,5 to 10,More than 10}', NULL, 2),
    ('woonoverlast', 'sinds', 'datum', false, 'Sinds wanneer speelt dit?', 'Since when has this been going on?', NULL, NULL,
     '{}', '{}', NULL, 1),
    ('woonoverlast', 'besproken', 'janee', false, 'Heeft u het al met de buren besproken?', 'Have you talked to the neighbours about it?',
     NULL, NULL, '{}', '{}', NULL, 2),
    ('inbraak-diefstal', 'bezig', 'stop', false, 'Is de inbraak of diefstal nu bezig?', 'Is the burglary or theft happening right now?',
     'Dit is spoed: de politie kan nu nog ingrijpen.', 'This is urgent: the police can still step in now.', '{}', '{}', '112', 1),
    ('verdachte-situatie', 'sinds', 'datum', false, 'Sinds wanneer ziet u dit?', 'Since when have you seen this?', NULL, NULL,
     '{}', '{}', NULL, 1),
    ('zorgen-om-iemand', 'gevaar', 'stop', false, 'Is de persoon nu een gevaar voor zichzelf of anderen?',
     'Is the person a danger to themselves or others right now?',
     'Dit is spoed. Geen direct gevaar, wel zorgen? Bel de politie: 0900-8844.',
     'This is urgent. No immediate danger but still worried? Call the police: 0900-8844.', '{}', '{}', '112', 1)
) AS v (rubriek, code, soort, verplicht, vraag, vraag_en, toelichting, toelichting_en, keuzes, keuzes_en, telefoon, volgorde)
JOIN rubriek r ON r.code = v.rubriek;
