import states from '../../../../functions/metadata/data/states.json';
import idTypes from '../../../../functions/metadata/data/id-types.json';
import genders from '../../../../functions/metadata/data/genders.json';

const DEVANAGARI = /[\u0900-\u097F]/;
const byName = (name: string) => {
  const s = states.find((x) => x.state_name === name);
  if (!s) throw new Error(`state ${name} missing`);
  return s;
};
const districtNames = (state: string) => byName(state).districts.map((d) => d.district_name);
const allDistricts = states.flatMap((s) => s.districts.map((d) => ({ ...d, state: s.state_name })));

describe('states.json', () => {
  it('has all 28 states and 8 union territories with unique ids and names', () => {
    expect(states).toHaveLength(36);
    expect(new Set(states.map((s) => s.state_id)).size).toBe(36);
    expect(new Set(states.map((s) => s.state_name)).size).toBe(36);
    expect(states.map((s) => s.state_id).sort((a, b) => a - b)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
  });

  it('uses CoWIN state ids', () => {
    expect(byName('Andaman and Nicobar Islands').state_id).toBe(1);
    expect(byName('Dadra and Nagar Haveli and Daman and Diu').state_id).toBe(8);
    expect(byName('Delhi').state_id).toBe(9);
    expect(byName('Jammu and Kashmir').state_id).toBe(14);
    expect(byName('Ladakh').state_id).toBe(18);
    expect(byName('Maharashtra').state_id).toBe(21);
    expect(byName('West Bengal').state_id).toBe(36);
  });

  it('is sorted by state name and districts by district name', () => {
    const names = states.map((s) => s.state_name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    for (const s of states) {
      const ds = s.districts.map((d) => d.district_name);
      expect(ds).toEqual([...ds].sort((a, b) => a.localeCompare(b, 'en')));
    }
  });

  it('gives every state at least one district and has a realistic total', () => {
    for (const s of states) expect(s.districts.length).toBeGreaterThanOrEqual(1);
    expect(allDistricts.length).toBeGreaterThanOrEqual(750);
  });

  it('has globally unique district ids and unique district names within a state', () => {
    const ids = allDistricts.map((d) => d.district_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Number.isInteger(id) && id > 0).toBe(true);
    for (const s of states) {
      expect(new Set(s.districts.map((d) => d.district_name)).size).toBe(s.districts.length);
    }
  });

  it('has Devanagari local names for every state and district', () => {
    for (const s of states) expect(s.state_name_l).toMatch(DEVANAGARI);
    for (const d of allDistricts) expect(d.district_name_l).toMatch(DEVANAGARI);
  });

  it('has 6-digit pincodes not starting with 0', () => {
    for (const d of allDistricts) {
      expect(typeof d.pincode).toBe('number');
      expect(String(d.pincode)).toMatch(/^[1-9]\d{5}$/);
    }
  });

  it('has coordinates inside India', () => {
    for (const d of allDistricts) {
      expect(typeof d.lat).toBe('number');
      expect(typeof d.long).toBe('number');
      expect(d.lat).toBeGreaterThanOrEqual(6);
      expect(d.lat).toBeLessThanOrEqual(37.5);
      expect(d.long).toBeGreaterThanOrEqual(68);
      expect(d.long).toBeLessThanOrEqual(97.5);
    }
  });

  it('passes spot checks', () => {
    expect(districtNames('Delhi')).toContain('New Delhi');
    expect(districtNames('Delhi')).toHaveLength(11);
    expect(districtNames('Maharashtra')).toEqual(expect.arrayContaining(['Pune', 'Mumbai']));
    expect(districtNames('Karnataka')).toContain('Bengaluru Urban');
    expect(districtNames('Uttar Pradesh').length).toBeGreaterThanOrEqual(75);
    expect(districtNames('Tamil Nadu')).toContain('Chennai');
    expect(districtNames('Dadra and Nagar Haveli and Daman and Diu')).toEqual(['Dadra and Nagar Haveli', 'Daman', 'Diu']);
    expect(districtNames('Ladakh')).toEqual(['Kargil', 'Leh']);
    const pune = byName('Maharashtra').districts.find((d) => d.district_name === 'Pune')!;
    expect(pune.district_id).toBe(363);
    expect(String(pune.pincode)).toMatch(/^41/);
    expect(pune.lat).toBeCloseTo(18.5, 0);
    expect(pune.long).toBeCloseTo(73.9, 0);
    const newDelhi = byName('Delhi').districts.find((d) => d.district_name === 'New Delhi')!;
    expect(newDelhi.district_id).toBe(140);
    expect(String(newDelhi.pincode)).toMatch(/^11/);
  });
});

describe('id-types.json', () => {
  it('lists the nine CoWIN photo id types and the two for children, with unique ids and codes', () => {
    expect(idTypes.map((t) => t.type)).toEqual([
      'Aadhaar Card',
      'Driving License',
      'PAN Card',
      'Passport',
      'NPR Smart Card',
      'Voter ID',
      'Unique Disability ID',
      'Ration Card with Photo',
      'Pension Passbook with photo',
      'Student Photo ID Card',
      'Birth Certificate',
    ]);
    expect(new Set(idTypes.map((t) => t.id)).size).toBe(idTypes.length);
    expect(new Set(idTypes.map((t) => t.code)).size).toBe(idTypes.length);
    expect(idTypes.map((t) => t.code)).toEqual(expect.arrayContaining(['AADHAAR', 'PAN', 'PASSPORT', 'VOTER_ID']));
    for (const t of idTypes) {
      expect(t.code).toMatch(/^[A-Z][A-Z_]*$/);
      expect(t.type_l).toMatch(DEVANAGARI);
    }
  });
});

describe('genders.json', () => {
  it('lists Male, Female and Others with unique ids', () => {
    expect(genders.map((g) => [g.id, g.gender])).toEqual([
      [1, 'Male'],
      [2, 'Female'],
      [3, 'Others'],
    ]);
    for (const g of genders) expect(g.gender_l).toMatch(DEVANAGARI);
  });
});
