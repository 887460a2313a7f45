-- The category tree of the safety plan: priority > theme > category. Categories are data so the
-- municipality can add or retire one without a release.
CREATE TABLE prioriteit (
    id        smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code      text NOT NULL UNIQUE,
    naam      text NOT NULL,
    volgorde  smallint NOT NULL
);

CREATE TABLE thema (
    id             smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prioriteit_id  smallint NOT NULL REFERENCES prioriteit (id),
    code           text NOT NULL UNIQUE,
    naam           text NOT NULL,
    volgorde       smallint NOT NULL
);

CREATE TABLE rubriek (
    id           smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thema_id     smallint NOT NULL REFERENCES thema (id),
    -- Stable slug used in URLs, APIs (Open311 service_code) and tests.
    code         text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]+$'),
    naam         text NOT NULL,
    -- One line of help shown under the category on the report form.
    uitleg       text NOT NULL,
    -- Guidance shown once the category is chosen (e.g. "do not touch, call 112"); null when none.
    advies       text,
    -- How the public sees reports of this category:
    --   'exact'    point shown (still snapped to the public grid by the map),
    --   'grof'     only a coarse place (buurt level / large grid),
    --   'verborgen' never on a public map, feed or statistic below the suppression threshold.
    openbaarheid text NOT NULL CHECK (openbaarheid IN ('exact', 'grof', 'verborgen')),
    -- Reporter is anonymous by default for this category (e.g. suspicious situations).
    standaard_anoniem boolean NOT NULL DEFAULT false,
    actief       boolean NOT NULL DEFAULT true,
    volgorde     smallint NOT NULL
);
CREATE INDEX rubriek_thema_idx ON rubriek (thema_id);

INSERT INTO prioriteit (code, naam, volgorde) VALUES
    ('veilige-leefbare-wijken', 'Veilige & Leefbare wijken', 1),
    ('ondermijning',            'Ondermijning',              2),
    ('zorg-veiligheid',         'Zorg & veiligheid',         3);

INSERT INTO thema (prioriteit_id, code, naam, volgorde)
SELECT p.id, t.code, t.naam, t.volgorde
FROM (VALUES
    ('veilige-leefbare-wijken', 'overlast',          'Overlast',          1),
    ('veilige-leefbare-wijken', 'verkeer',           'Verkeer',           2),
    ('veilige-leefbare-wijken', 'high-impact-crime', 'High impact crime', 3),
    ('ondermijning',            'ondermijning',      'Ondermijning',      4),
    ('zorg-veiligheid',         'zorg',              'Zorg',              5)
) AS t (prioriteit, code, naam, volgorde)
JOIN prioriteit p ON p.code = t.prioriteit;

INSERT INTO rubriek (thema_id, code, naam, uitleg, advies, openbaarheid, standaard_anoniem, volgorde)
SELECT t.id, r.code, r.naam, r.uitleg, r.advies, r.openbaarheid, r.anoniem, r.volgorde
FROM (VALUES
    ('overlast', 'woonoverlast', 'Woonoverlast',
     'Overlast van buren of bewoners: geluid, stank, vervuiling, intimidatie.',
     NULL, 'grof', false, 1),
    ('overlast', 'jeugdoverlast', 'Jeugdoverlast',
     'Groepen jongeren die overlast geven, vernielingen.',
     NULL, 'exact', false, 2),
    ('verkeer', 'te-hard-rijden', 'Te hard rijden',
     'Auto''s, scooters of brommers die structureel te hard rijden.',
     NULL, 'exact', false, 3),
    ('verkeer', 'verkeersagressie', 'Verkeersagressie',
     'Agressief of intimiderend gedrag in het verkeer.',
     NULL, 'exact', false, 4),
    ('verkeer', 'parkeeroverlast', 'Parkeeroverlast',
     'Verkeerd of hinderlijk geparkeerde voertuigen.',
     NULL, 'exact', false, 5),
    ('high-impact-crime', 'inbraak-diefstal', 'Inbraak of diefstal (signaal)',
     'Een signaal over inbraak of diefstal in de buurt.',
     'Dit is een signaal, geen aangifte. Doe aangifte bij de politie via politie.nl of bel 0900-8844.',
     'grof', false, 6),
    ('ondermijning', 'drugsafval', 'Drugsafval',
     'Gedumpte vaten, jerrycans of zakken met chemisch afval.',
     'Raak het afval niet aan en blijf op afstand: het kan giftig of explosief zijn. Bij acuut gevaar: bel 112.',
     'verborgen', false, 7),
    ('ondermijning', 'verdachte-situatie', 'Verdachte situatie',
     'Verdachte panden of activiteiten, zoals een hennepkwekerij of vreemd verkeer bij een pand.',
     'U kunt ook anoniem melden bij Meld Misdaad Anoniem: 0800-7000.',
     'verborgen', true, 8),
    ('zorg', 'zorgen-om-iemand', 'Zorgen om iemand (verward gedrag)',
     'U maakt zich zorgen om iemand die verward gedrag vertoont.',
     'Bij direct gevaar: bel 112. Zonder spoed: politie 0900-8844. Zorgen om een kind of huiselijk geweld: Veilig Thuis 0800-2000.',
     'verborgen', false, 9)
) AS r (thema, code, naam, uitleg, advies, openbaarheid, anoniem, volgorde)
JOIN thema t ON t.code = r.thema;
