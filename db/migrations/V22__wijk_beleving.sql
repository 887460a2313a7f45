-- Perceived safety and liveability per wijk per year (e.g. from the Veiligheidsmonitor), shown beside
-- the report figures on the public wijk page: low report counts need "the story behind the numbers".
-- Filled by a beheerder's CSV import in the back office (not built yet); one row per indicator.
CREATE TABLE wijk_beleving (
    wijk_code     text NOT NULL REFERENCES wijk (code),
    jaar          smallint NOT NULL CHECK (jaar BETWEEN 2000 AND 2100),
    -- Stable slug, e.g. 'veilig-in-buurt', 'rapportcijfer-leefbaarheid'.
    indicator     text NOT NULL CHECK (indicator ~ '^[a-z0-9-]+$'),
    -- What is measured, as residents should read it ("Voelt zich veilig in de eigen buurt").
    omschrijving  text NOT NULL CHECK (length(omschrijving) BETWEEN 1 AND 300),
    waarde        numeric(7, 2) NOT NULL,
    -- '%' or 'rapportcijfer' (1-10).
    eenheid       text NOT NULL CHECK (eenheid IN ('%', 'rapportcijfer')),
    -- Where the figure comes from, shown with it ("Veiligheidsmonitor 2025").
    bron          text NOT NULL CHECK (length(bron) BETWEEN 1 AND 200),
    ingelezen_op  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wijk_code, indicator, jaar)
);
