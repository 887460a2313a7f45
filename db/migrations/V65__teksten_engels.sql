-- English texts for the reference data residents and staff see: category names and their help
-- texts, themes, priorities and report states. Nullable: a category the municipality adds itself has
-- no English text until staff write one, and then the Dutch text is shown (in_taal below).
-- CSV exports and stored texts (audit, messages) stay Dutch.
ALTER TABLE rubriek
    ADD COLUMN naam_en   text CHECK (length(naam_en) <= 100),
    ADD COLUMN uitleg_en text CHECK (length(uitleg_en) <= 500),
    ADD COLUMN advies_en text CHECK (length(advies_en) <= 1000);
ALTER TABLE thema ADD COLUMN naam_en text;
ALTER TABLE prioriteit ADD COLUMN naam_en text;
ALTER TABLE meldingstatus ADD COLUMN naam_en text;

-- The one rule for choosing a text: the English one when the language is 'en' and an English text
-- exists, else the Dutch one. Queries call it with the request's language (Domein.Taal.Code):
--   in_taal(r.naam, r.naam_en, @taal)
CREATE FUNCTION in_taal(nl text, en text, taal text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN taal = 'en' AND nullif(btrim(en), '') IS NOT NULL THEN en ELSE nl END $$;

-- The default set (the Actieplan's tree, V3/V4/V5). Only where the Dutch text is still the one
-- shipped, so a municipality that renamed a category does not get an English text for the old name.
UPDATE prioriteit p SET naam_en = v.en
FROM (VALUES
    ('veilige-leefbare-wijken', 'Veilige & Leefbare wijken', 'Safe & liveable neighbourhoods'),
    ('ondermijning',            'Ondermijning',              'Organised crime'),
    ('zorg-veiligheid',         'Zorg & veiligheid',         'Care & safety')
) AS v (code, nl, en)
WHERE p.code = v.code AND p.naam = v.nl;

UPDATE thema t SET naam_en = v.en
FROM (VALUES
    ('overlast',          'Overlast',          'Nuisance'),
    ('verkeer',           'Verkeer',           'Traffic'),
    ('high-impact-crime', 'High impact crime', 'High impact crime'),
    ('ondermijning',      'Ondermijning',      'Organised crime'),
    ('zorg',              'Zorg',              'Care')
) AS v (code, nl, en)
WHERE t.code = v.code AND t.naam = v.nl;

UPDATE meldingstatus s SET naam_en = v.en
FROM (VALUES
    ('gemeld',         'Gemeld',         'Reported'),
    ('in-behandeling', 'In behandeling', 'In progress'),
    ('doorgezet',      'Doorgezet',      'Passed on'),
    ('afgehandeld',    'Afgehandeld',    'Resolved'),
    ('afgewezen',      'Afgewezen',      'Rejected'),
    ('heropend',       'Heropend',       'Reopened'),
    ('ingetrokken',    'Ingetrokken',    'Withdrawn')
) AS v (code, nl, en)
WHERE s.code = v.code AND s.naam = v.nl;

UPDATE rubriek r SET naam_en = v.naam_en
FROM (VALUES
    ('woonoverlast',       'Woonoverlast',                      'Residential nuisance'),
    ('jeugdoverlast',      'Jeugdoverlast',                     'Youth nuisance'),
    ('te-hard-rijden',     'Te hard rijden',                    'Speeding'),
    ('verkeersagressie',   'Verkeersagressie',                  'Aggression in traffic'),
    ('parkeeroverlast',    'Parkeeroverlast',                   'Parking nuisance'),
    ('inbraak-diefstal',   'Inbraak of diefstal (signaal)',     'Burglary or theft (signal)'),
    ('drugsafval',         'Drugsafval',                        'Drug waste'),
    ('verdachte-situatie', 'Verdachte situatie',                'Suspicious situation'),
    ('zorgen-om-iemand',   'Zorgen om iemand (verward gedrag)', 'Worried about someone (confused behaviour)')
) AS v (code, nl, naam_en)
WHERE r.code = v.code AND r.naam = v.nl;

UPDATE rubriek r SET uitleg_en = v.en
FROM (VALUES
    ('woonoverlast', 'Overlast van buren of bewoners: geluid, stank, vervuiling, intimidatie.',
     'Nuisance from neighbours or residents: noise, smells, litter, intimidation.'),
    ('jeugdoverlast', 'Groepen jongeren die overlast geven, vernielingen.',
     'Groups of young people causing nuisance, vandalism.'),
    ('te-hard-rijden', 'Auto''s, scooters of brommers die structureel te hard rijden.',
     'Cars, scooters or mopeds that regularly drive too fast.'),
    ('verkeersagressie', 'Agressief of intimiderend gedrag in het verkeer.',
     'Aggressive or intimidating behaviour in traffic.'),
    ('parkeeroverlast', 'Verkeerd of hinderlijk geparkeerde voertuigen.',
     'Wrongly or obstructively parked vehicles.'),
    ('inbraak-diefstal', 'Een signaal over inbraak of diefstal in de buurt.',
     'A signal about burglary or theft in the neighbourhood.'),
    ('drugsafval', 'Gedumpte vaten, jerrycans of zakken met chemisch afval.',
     'Dumped barrels, jerrycans or bags with chemical waste.'),
    ('verdachte-situatie', 'Verdachte panden of activiteiten, zoals een hennepkwekerij of vreemd verkeer bij een pand.',
     'Suspicious premises or activities, such as a cannabis farm or unusual comings and goings at a building.'),
    ('zorgen-om-iemand', 'U maakt zich zorgen om iemand die verward gedrag vertoont.',
     'You are worried about someone who shows confused behaviour.')
) AS v (code, nl, en)
WHERE r.code = v.code AND r.uitleg = v.nl;

UPDATE rubriek r SET advies_en = v.en
FROM (VALUES
    ('inbraak-diefstal',
     'Dit is een signaal, geen aangifte. Doe aangifte bij de politie via politie.nl of bel 0900-8844.',
     'This is a signal, not a police report. Report the crime to the police at politie.nl or call 0900-8844.'),
    ('drugsafval',
     'Raak het afval niet aan en blijf op afstand: het kan giftig of explosief zijn. Bij acuut gevaar: bel 112.',
     'Do not touch the waste and keep your distance: it may be toxic or explosive. In acute danger: call 112.'),
    ('verdachte-situatie',
     'U kunt ook anoniem melden bij Meld Misdaad Anoniem: 0800-7000.',
     'You can also report anonymously to Meld Misdaad Anoniem (Crime Stoppers): 0800-7000.'),
    ('zorgen-om-iemand',
     'Bij direct gevaar: bel 112. Zonder spoed: politie 0900-8844. Zorgen om een kind of huiselijk geweld: Veilig Thuis 0800-2000.',
     'In immediate danger: call 112. Without urgency: police 0900-8844. Worried about a child or domestic violence: Veilig Thuis 0800-2000.')
) AS v (code, nl, en)
WHERE r.code = v.code AND r.advies = v.nl;
