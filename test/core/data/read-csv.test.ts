import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { CHUNK_SIZES, collect, seededRandom, tempFolder } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

async function assertUserError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

describe('readTable on CSV: RFC 4180', () => {
  const tricky =
    '\ufeffid,name,score\r\n' +
    '1,"Smith, J",0.5\r\n' +
    '2,"say ""hi""",-1.25\r\n' +
    '3,"two\r\nlines",1e3\r\n' +
    '4,"",""\r\n' +
    '5,plain,.5'; // no line end after the last row
  const path = folder.write('tricky.csv', tricky);

  for (const chunkSize of CHUNK_SIZES) {
    test(`quotes, escaped quotes, CRLF, BOM, embedded newline, no final newline (chunk ${chunkSize ?? 'default'})`, async () => {
      const result = await collect(path, { numeric: ['id', 'score'], text: ['name'], batchSize: 2 }, chunkSize);
      assert.deepEqual(result.numeric.id, [1, 2, 3, 4, 5]);
      assert.deepEqual(result.numeric.score, [0.5, -1.25, 1000, NaN, 0.5]);
      assert.deepEqual(result.text.name, ['Smith, J', 'say "hi"', 'two\r\nlines', '', 'plain']);
      assert.deepEqual(result.batches, [
        { firstRow: 1, length: 2 },
        { firstRow: 3, length: 2 },
        { firstRow: 5, length: 1 },
      ]);
    });
  }

  test('LF, CRLF and lone CR line ends all end a row; blank lines are skipped and are not rows', async () => {
    const path = folder.write('line-ends.csv', 'a,b\n1,2\r\n3,4\r5,6\n\n\r\n7,8\n\n');
    for (const chunkSize of CHUNK_SIZES) {
      const result = await collect(path, { numeric: ['a', 'b'] }, chunkSize);
      assert.deepEqual(result.numeric, { a: [1, 3, 5, 7], b: [2, 4, 6, 8] }, `chunk ${chunkSize}`);
    }
  });

  test('multi-byte UTF-8 text survives chunk ends inside a character', async () => {
    const path = folder.write('utf8.csv', 'word,n\né漢字🙂,1\n"ü, ß",2\n');
    for (const chunkSize of CHUNK_SIZES) {
      const result = await collect(path, { numeric: ['n'], text: ['word'] }, chunkSize);
      assert.deepEqual(result.text.word, ['é漢字🙂', 'ü, ß'], `chunk ${chunkSize}`);
    }
  });

  test('a quoted value longer than the read chunk is read whole', async () => {
    const long = 'x,'.repeat(5000);
    const path = folder.write('long.csv', `t,n\n"${long}",1\nshort,2\n`);
    const result = await collect(path, { numeric: ['n'], text: ['t'] }, 16);
    assert.deepEqual(result.text.t, [long, 'short']);
  });

  test('TSV files use tabs and keep commas in values', async () => {
    const path = folder.write('data.tsv', 'a\tb\n1,5\t2.5\n"x\ty"\t3\n');
    const result = await collect(path, { text: ['a'], numeric: ['b'] }, 3);
    assert.deepEqual(result.text.a, ['1,5', 'x\ty']);
    assert.deepEqual(result.numeric.b, [2.5, 3]);
  });

  test('random tables written with quoting read back exactly, whatever the chunk size', async () => {
    const random = seededRandom(42);
    const pieces = ['a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '漢', '', '0', '-', '.'];
    for (let round = 0; round < 25; round++) {
      const rows = 1 + Math.floor(random() * 40);
      const numbers = Array.from({ length: rows }, () => {
        const kind = random();
        if (kind < 0.3) return Math.floor((random() - 0.5) * 1e6);
        if (kind < 0.5) return (random() - 0.5) * 10 ** Math.floor(random() * 30 - 15);
        return random();
      });
      const texts = Array.from({ length: rows }, () =>
        Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join(''),
      );
      const quote = (text: string) =>
        /[",\r\n]/.test(text) || random() < 0.1 ? `"${text.replaceAll('"', '""')}"` : text;
      const newline = random() < 0.5 ? '\n' : '\r\n';
      const body = numbers
        .map((number, i) => `${quote(texts[i])},${random() < 0.1 ? `"${number}"` : number}`)
        .join(newline);
      const path = folder.write(`random-${round}.csv`, `text,number${newline}${body}${random() < 0.5 ? newline : ''}`);
      const chunkSize = [1, 2, 3, 7, 13, 100][round % 6];
      const result = await collect(
        path,
        { text: ['text'], numeric: ['number'], batchSize: 1 + (round % 7) },
        chunkSize,
      );
      assert.deepEqual(result.text.text, texts, `round ${round}`);
      assert.deepEqual(result.numeric.number, numbers, `round ${round}`);
    }
  });
});

describe('readTable on CSV: numbers and missing values', () => {
  const path = folder.write('missing.csv', 'x,y,label\n1,,a\nNA,2,\n"3",NaN,c\n  4 ,null,d\n');

  test('empty cells and pandas NA strings read as NaN by default (as pandas does)', async () => {
    const result = await collect(path, { numeric: ['x', 'y'], text: ['label'] });
    assert.deepEqual(result.numeric.x, [1, NaN, 3, 4]);
    assert.deepEqual(result.numeric.y, [NaN, 2, NaN, NaN]);
    assert.deepEqual(result.text.label, ['a', '', 'c', 'd'], 'text keeps the file text; an empty cell is ""');
  });

  test('allowMissing: false makes a missing value an error naming the cell', async () => {
    await assertUserError(
      collect(path, { numeric: ['x', 'y'], allowMissing: false }),
      /missing\.csv row 1, column "y": the value is missing \(line 2 of the file\).*Fill it in/,
    );
  });

  test('allowMissing as a list allows gaps only in those columns', async () => {
    const features = await collect(path, { numeric: ['x', 'y'], allowMissing: ['y'] }, 3).catch(
      (error: Error) => error,
    );
    assert.ok(features instanceof UserError);
    assert.match(features.message, /row 2, column "x": the value is missing \(line 3 of the file\)/);
  });

  test('a word in a numeric column is a UserError naming file, row, column, value and line', async () => {
    const path = folder.write('bad.csv', 'id,tenure\n1,5\n\n2,7\n3,abc\n');
    for (const chunkSize of [1, 4, undefined]) {
      await assertUserError(
        collect(path, { numeric: ['tenure'], batchSize: 2 }, chunkSize),
        /bad\.csv row 3, column "tenure": "abc" is not a number \(line 5 of the file\)\. The column is read as numeric\./,
      );
    }
  });

  test('line numbers in messages count CRLF once and newlines inside quotes, at any chunk size', async () => {
    const path = folder.write('crlf-bad.csv', 'id,note,v\r\n1,"a\r\nb",1\r\n\r\n2,x,2\r\n3,y,oops\r\n');
    for (const chunkSize of CHUNK_SIZES) {
      await assertUserError(
        collect(path, { numeric: ['v'] }, chunkSize),
        /crlf-bad\.csv row 3, column "v": "oops" is not a number \(line 6 of the file\)/,
      );
    }
  });

  test('a quoted non-number and a hex literal are rejected too', async () => {
    await assertUserError(
      collect(folder.write('q.csv', 'a\n"1,5"\n'), { numeric: ['a'] }),
      /row 1, column "a": "1,5" is not a number/,
    );
    await assertUserError(collect(folder.write('hex.csv', 'a\n0x10\n'), { numeric: ['a'] }), /"0x10" is not a number/);
  });

  test('exponents, infinities and long mantissas parse exactly', async () => {
    const path = folder.write(
      'exotic.csv',
      'v\n1e-05\n-2.5E+3\ninf\n-Infinity\n123456789012345678901234\n0.1234567890123456789012\n-0\n',
    );
    const result = await collect(path, { numeric: ['v'] }, 5);
    assert.deepEqual(result.numeric.v, [
      1e-5,
      -2500,
      Infinity,
      -Infinity,
      Number('123456789012345678901234'),
      0.12345678901234568,
      -0,
    ]);
    assert.ok(Object.is(result.numeric.v[6], -0));
  });
});

describe('readTable on CSV: file problems', () => {
  test('ragged rows name the row, the line and what to fix', async () => {
    const short = folder.write('short.csv', 'a,b,c\n1,2,3\n4,5\n');
    await assertUserError(
      collect(short, { numeric: ['a'] }),
      /short\.csv row 2 \(line 3 of the file\) has 2 fields, but the header has 3 columns/,
    );
    const long = folder.write('long-row.csv', 'a,b\n1,2\n3,4,5\n');
    await assertUserError(
      collect(long, { numeric: ['a'] }, 2),
      /row 2 \(line 3 of the file\) has 3 fields, but the header has 2 columns.*quote values that contain ","/,
    );
  });

  test('an unclosed quote and text after a closing quote are errors that say how to quote', async () => {
    await assertUserError(
      collect(folder.write('open.csv', 'a,b\n1,"never closed\n2,3\n'), { numeric: ['a'] }),
      /row 1 .*column "b": a quoted value is never closed/,
    );
    await assertUserError(
      collect(folder.write('after.csv', 'a,b\n1,"x"y\n'), { numeric: ['a'] }),
      /column "b": text follows the closing quote.*two quotes/,
    );
  });

  test('an empty file, a file of blank lines and a header-only file say what is missing', async () => {
    await assertUserError(collect(folder.write('empty.csv', ''), {}), /empty\.csv is empty/);
    await assertUserError(collect(folder.write('blank.csv', '\n\r\n\n'), {}), /has no header row/);
    await assertUserError(
      collect(folder.write('header.csv', 'a,b\r\n'), { numeric: ['a'] }),
      /has a header row but no data rows/,
    );
  });

  test('a header of numbers is taken as a missing header', async () => {
    await assertUserError(
      collect(folder.write('noheader.csv', '1,2.5,3\n4,5,6\n'), {}),
      /first row \(1, 2\.5, 3\) holds numbers, not column names/,
    );
  });

  test('duplicate names are rejected; an empty name becomes "Unnamed: <index>" as in pandas', async () => {
    await assertUserError(collect(folder.write('dup.csv', 'a,b,a\n1,2,3\n'), {}), /names column "a" more than once/);
    const result = await collect(folder.write('index.csv', ',x\n0,1.5\n1,2.5\n'), { numeric: ['Unnamed: 0', 'x'] });
    assert.deepEqual(result.numeric, { 'Unnamed: 0': [0, 1], x: [1.5, 2.5] });
  });

  test('a column the file does not have is a UserError listing the columns it has', async () => {
    const path = folder.write('cols.csv', 'tenure,churn\n1,0\n');
    await assertUserError(
      collect(path, { numeric: ['Churn'] }),
      /has no column "Churn"\. Its columns are: tenure, churn\./,
    );
  });

  test('missing files, folders and unknown extensions are UserErrors', async () => {
    await assertUserError(collect(folder.path('nope.csv'), {}), /data file .*nope\.csv does not exist/);
    await assertUserError(collect(folder.path(''), {}), /cannot tell the format/);
    mkdirSync(folder.path('folder.csv'));
    await assertUserError(collect(folder.path('folder.csv'), {}), /folder\.csv is a folder, not a data file/);
    await assertUserError(
      collect(folder.write('data.txt', 'a\n1\n'), {}),
      /cannot tell the format of .*data\.txt.*\.csv, \.tsv, \.jsonl, \.ndjson, \.parquet/,
    );
    await assertUserError(collect(folder.write('data.csv.gz', 'x'), {}), /is compressed\. Decompress it first/);
  });

  test('asking for no columns still counts the rows', async () => {
    const result = await collect(folder.write('count.csv', 'a\n1\n2\n3\n'), { batchSize: 2 });
    assert.deepEqual(result.batches, [
      { firstRow: 1, length: 2 },
      { firstRow: 3, length: 1 },
    ]);
  });
});
