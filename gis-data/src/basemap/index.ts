export { buildOsmFixture, osmFixtureNames, type OsmFixtureOptions } from './osm-fixture.ts';
