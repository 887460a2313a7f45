-- ASP.NET Core Data Protection key ring (web/Hosting/GedeeldeSleutels.cs): every web node reads the
-- same keys, so auth cookies, antiforgery tokens and invitation links made on one node are valid on
-- all of them. One row per key as the framework writes it (XML); keys are never updated, the
-- framework marks old ones as revoked/expired by writing new elements.
CREATE TABLE data_protection_sleutel (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The element's friendly name ("key-<guid>"); a node that races another to write the same key
    -- does not store it twice.
    naam        text NOT NULL UNIQUE CHECK (length(naam) BETWEEN 1 AND 200),
    xml         text NOT NULL,
    aangemaakt  timestamptz NOT NULL DEFAULT now()
);
