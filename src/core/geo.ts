/** A point on the map, in decimal degrees (WGS84, as the ONS Postcode Directory gives them). */
export interface Point {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371.0088;

/**
 * The distance between two points along the Earth's surface, in kilometres (the haversine formula). Within a
 * borough its error is far below a street's width, which is all "nearest first" needs.
 */
export function distanceKm(a: Point, b: Point): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distances as people say them: metres close by, kilometres to one decimal further away, and miles beside. */
export function distanceText(km: number): string {
  const miles = km / 1.609344;
  const metric = km < 1 ? `${Math.round(km * 100) * 10} m` : `${km.toFixed(1)} km`;
  return `${metric} (${miles < 0.1 ? 'under 0.1' : miles.toFixed(1)} miles)`;
}
