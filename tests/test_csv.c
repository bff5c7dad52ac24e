/* test_csv.c - table-driven tests of the CSV reader.
 *
 * Every case is fed to the incremental reader at every chunk size from 1
 * byte to the whole input (as libcsv's own tests do) and must give the same
 * result each time: either the expected series (id, frequency, first
 * timestamp, values) or the expected error (status and message).  A few
 * further tests use xf_dataset_read_csv on files.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>

#include "testutil.h"

typedef struct csv_case {
    const char *name; /* what the case is about */
    const char *in;   /* the CSV text */
    const char
        *opts; /* "key=value;..." options: delim dec time fmt target id na freq gaps dups sniff */
    int code;  /* expected status */
    const char *expect; /* success: "id|freq|start|v v v" series joined by '\n';
                           failure: the exact error message */
    int n_notes;        /* notes expected on success */
} csv_case;

static const csv_case cases[] = {
    /* ---- layout ------------------------------------------------------ */
    {"wide, two targets", "date,a,b\n2020-01-01,1.5,2\n2020-01-02,2.5,-3.25\n", "", XF_OK,
     "a|D|2020-01-01|1.5 2.5\nb|D|2020-01-01|2 -3.25", 0},
    {"CRLF, BOM and trailing blank lines",
     "\xEF\xBB\xBF"
     "date,x\r\n2020-01-01,1\r\n2020-01-02,2\r\n\r\n\r\n",
     "", XF_OK, "x|D|2020-01-01|1 2", 0},
    {"no final newline", "date,x\n2020-01-01,1\n2020-01-02,2", "", XF_OK, "x|D|2020-01-01|1 2", 0},
    {"semicolon and decimal comma", "date;x;y\n2020-01-01;1,5;3\n2020-01-02;-2,25;4\n", "dec=,",
     XF_OK, "x|D|2020-01-01|1.5 -2.25\ny|D|2020-01-01|3 4", 0},
    {"tab detected", "date\tx\n2020-01-01\t 7.125\n2020-01-02\t8\n", "", XF_OK,
     "x|D|2020-01-01|7.125 8", 0},
    {"pipe detected", "date|x\n2020-01-01|1\n2020-01-02|2\n", "", XF_OK, "x|D|2020-01-01|1 2", 0},
    {"delimiter given", "date:x\n2020-01-01:1\n2020-01-02:2\n", "delim=:", XF_OK,
     "x|D|2020-01-01|1 2", 0},
    {"quoted fields, embedded delimiter and newline in an ignored column",
     "\"date\",\"note\",\"x\"\n\"2020-01-01\",\"a, b\",\"1.5\"\n2020-01-02,\"two\nlines\",2\n"
     "2020-01-03,\"say \"\"hi\"\"\",3\n",
     "", XF_OK, "x|D|2020-01-01|1.5 2 3", 0},
    {"line numbers after a multi-line field",
     "date,note,x\n2020-01-01,\"a\nb\nc\",1\n2020-01-02,z,abc\n", "target=x", XF_EPARSE,
     "t.csv:5:3: 'abc' is not a number", 0},
    {"blanks around fields", "date , x \n 2020-01-01 , 1 \n2020-01-02,  2\n", "", XF_OK,
     "x|D|2020-01-01|1 2", 0},
    {"non-numeric column ignored", "date,weather,x\n2020-01-01,rain,1\n2020-01-02,sun,2\n", "",
     XF_OK, "x|D|2020-01-01|1 2", 0},
    {"target by name and number", "date,a,b,c\n2020-01-01,1,2,3\n2020-01-02,4,5,6\n", "target=c,2",
     XF_OK, "c|D|2020-01-01|3 6\na|D|2020-01-01|1 4", 0},
    {"time column by number", "x,when\n1,2020-01-01\n2,2020-01-02\n", "time=2", XF_OK,
     "x|D|2020-01-01|1 2", 0},
    {"time column detected from its values", "x,stamp\n1,2020-01-01\n2,2020-01-02\n", "", XF_OK,
     "x|D|2020-01-01|1 2", 0},
    /* ---- missing values -------------------------------------------- */
    {"missing tokens",
     "date,x\n2020-01-01,\n2020-01-02,NA\n2020-01-03,nan\n2020-01-04,null\n"
     "2020-01-05,5\n",
     "", XF_OK, "x|D|2020-01-01|nan nan nan nan 5", 0},
    {"custom missing tokens", "date,x\n2020-01-01,-999\n2020-01-02,4\n", "na=-999", XF_OK,
     "x|D|2020-01-01|nan 4", 0},
    {"empty is not missing when not listed", "date,x\n2020-01-01,\n2020-01-02,4\n",
     "na=NA;target=x", XF_EPARSE, "t.csv:2:2: '' is not a number", 0},
    /* ---- long files ------------------------------------------------- */
    {"long file, interleaved ids",
     "symbol,date,price\nAAA,2020-01-01,1\nBBB,2020-01-01,10\nAAA,2020-01-02,2\nBBB,2020-01-02,"
     "20\n",
     "id=symbol", XF_OK, "AAA|D|2020-01-01|1 2\nBBB|D|2020-01-01|10 20", 0},
    {"long file, two targets", "id,date,open,close\nA,2020-01-01,1,2\nA,2020-01-02,3,4\n", "id=id",
     XF_OK, "A:open|D|2020-01-01|1 3\nA:close|D|2020-01-01|2 4", 0},
    {"long file, single-row series takes the common frequency",
     "k,date,v\na,2020-01-01T00:00,1\na,2020-01-01T01:00,2\nb,2020-01-01T05:00,3\n", "id=k", XF_OK,
     "a|1h|2020-01-01|1 2\nb|1h|2020-01-01T05:00:00Z|3", 0},
    {"long file, missing id", "k,date,v\na,2020-01-01,1\n,2020-01-02,2\n", "id=k", XF_EPARSE,
     "t.csv:3:1: missing series id", 0},
    /* ---- long files recognised (no --id-col) ------------------------ */
    {"id column detected by its name",
     "id,date,v\nA,2020-01-01,1.5\nB,2020-01-01,10.25\nA,2020-01-02,2.5\nB,2020-01-02,20.75\n", "",
     XF_OK, "A|D|2020-01-01|1.5 2.5\nB|D|2020-01-01|10.25 20.75", 1},
    {"id column detected from repeated text that makes timestamps unique",
     "date,who,v\n2020-01-01,north,1.5\n2020-01-01,south,7.25\n2020-01-02,north,2.5\n"
     "2020-01-02,south,8.125\n",
     "", XF_OK, "north|D|2020-01-01|1.5 2.5\nsouth|D|2020-01-01|7.25 8.125", 1},
    {"a usual id name wins over another text column",
     "label,date,symbol,v\nx,2020-01-01,AAA,1\ny,2020-01-01,BBB,2\nx,2020-01-02,AAA,3\n"
     "y,2020-01-02,BBB,4\n",
     "", XF_OK, "AAA|D|2020-01-01|1 3\nBBB|D|2020-01-01|2 4", 1},
    {"a numeric column with a usual id name is an id",
     "station,date,temp\n101,2020-01-01,1.5\n202,2020-01-01,2.5\n101,2020-01-02,3.5\n"
     "202,2020-01-02,4.5\n",
     "", XF_OK, "101|D|2020-01-01|1.5 3.5\n202|D|2020-01-01|2.5 4.5", 1},
    {"an explicit id column wins over the detection",
     "id,date,who,v\nA,2020-01-01,p,1\nB,2020-01-01,q,2\nA,2020-01-02,p,3\nB,2020-01-02,q,4\n",
     "id=who", XF_OK, "p|D|2020-01-01|1 3\nq|D|2020-01-01|2 4", 0},
    {"--id-col none: one series, merged on request",
     "id,date,v\nA,2020-01-01,1\nB,2020-01-01,3\nA,2020-01-02,2\nB,2020-01-02,6\n",
     "id=none;dups=mean", XF_OK, "v|D|2020-01-01|2 4", 0},
    {"--id-col none without a duplicates policy", "id,date,v\nA,2020-01-01,1\nB,2020-01-01,3\n",
     "id=none", XF_EDATA,
     "t.csv:3:2: duplicate timestamp 2020-01-01 in series 'v' (also at line 2); use "
     "--duplicates last|mean to merge",
     0},
    {"duplicates across ids name the likely id column",
     "id,date,v\nA,2020-01-01,1\nB,2020-01-01,3\nA,2020-01-02,2\nA,2020-01-02,5\n", "", XF_EDATA,
     "t.csv:3:2: duplicate timestamp 2020-01-01 in series 'v' (also at line 2); the rows differ "
     "in column 'id', which looks like the series id: give --id-col id (or --id-col none with "
     "--duplicates last|mean to merge them)",
     0},
    {"--duplicates mean never merges rows of different ids",
     "id,date,v\nA,2020-01-01,1\nB,2020-01-01,3\nA,2020-01-02,2\nB,2020-01-02,6\n",
     "sniff=1;dups=mean", XF_EDATA,
     "t.csv:3:1: rows at timestamp 2020-01-01 in series 'v' (lines 2 and 3) differ in column "
     "'id': they look like rows of different series, which --duplicates mean does not merge; "
     "give --id-col id, or --id-col none to merge them anyway",
     0},
    {"--duplicates last merges rows whose text columns agree",
     "date,note,v\n2020-01-01,ok,1\n2020-01-02, ok,2\n2020-01-02,ok ,4\n", "dups=last", XF_OK,
     "v|D|2020-01-01|1 4", 0},
    {"a text column with unique timestamps is no id (and is not watched for merges)",
     "date,weather,v\n2020-01-01,rain,1\n2020-01-02,sun,2\n2020-01-03,rain,3\n", "", XF_OK,
     "v|D|2020-01-01|1 2 3", 0},
    {"with an id column the policy merges within a series, whatever the text columns",
     "id,date,note,v\nA,2020-01-01,x,1\nA,2020-01-01,y,3\nA,2020-01-02,z,5\n", "id=id;dups=mean",
     XF_OK, "A|D|2020-01-01|2 5", 0},
    /* ---- decimal mark hints ------------------------------------------ */
    {"values with a decimal comma suggest --decimal ,", "date;x\n2020-01-01;1,5\n2020-01-02;2,5\n",
     "", XF_ENOTFOUND,
     "t.csv:1: no numeric column besides the time column, but column 'x' holds numbers with ',' "
     "as decimal mark: give --decimal ,",
     0},
    {"a decimal-comma column beside numeric ones gets a note",
     "date;n;x\n2020-01-01;1;1,5\n2020-01-02;2;2,5\n", "", XF_OK, "n|D|2020-01-01|1 2", 1},
    {"an explicit --decimal . still refuses decimal commas",
     "date;x\n2020-01-01;1,5\n2020-01-02;2,5\n", "dec=.;target=x", XF_EPARSE,
     "t.csv:2:2: '1,5' is not a number (give --decimal , if ',' is the decimal mark)", 0},
    {"a duplicate inside one series of a detected id column says where the ids come from",
     "id,date,v\nA,2020-01-01,1\nB,2020-01-01,3\nA,2020-01-02,2\nB,2020-01-02,6\n"
     "A,2020-01-02,7\n",
     "sniff=4", XF_EDATA,
     "t.csv:6:2: duplicate timestamp 2020-01-02 in series 'A' (also at line 4); use --duplicates "
     "last|mean to merge (the series come from column 'id', detected as the id: give --id-col "
     "to choose another)",
     0},
    /* ---- order, duplicates, gaps ----------------------------------- */
    {"unsorted rows are sorted with a note", "date,x\n2020-01-03,3\n2020-01-01,1\n2020-01-02,2\n",
     "", XF_OK, "x|D|2020-01-01|1 2 3", 1},
    {"duplicates are an error by default", "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n", "",
     XF_EDATA,
     "t.csv:4:1: duplicate timestamp 2020-01-02 in series 'x' (also at line 3); use "
     "--duplicates last|mean to merge",
     0},
    {"duplicates: last", "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n", "dups=last", XF_OK,
     "x|D|2020-01-01|1 3", 0},
    {"duplicates: mean, missing ignored",
     "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-02,NA\n2020-01-02,5\n", "dups=mean", XF_OK,
     "x|D|2020-01-01|1 3.5", 0},
    {"gaps kept as missing", "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-05,5\n", "", XF_OK,
     "x|D|2020-01-01|1 2 nan nan 5", 0},
    {"gaps interpolated",
     "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-05,5\n2020-01-06,NA\n"
     "2020-01-07,9\n",
     "gaps=interpolate", XF_OK, "x|D|2020-01-01|1 2 3 4 5 7 9", 0},
    {"gaps as errors", "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-05,5\n", "gaps=error", XF_EDATA,
     "t.csv:4:1: gap of 2 missing timestamps between 2020-01-02 and 2020-01-05 in series 'x'; "
     "use --gaps keep|interpolate",
     0},
    {"irregular spacing names the rows",
     "date,x\n2020-01-01T00:00,1\n2020-01-01T01:00,2\n2020-01-01T02:00,3\n2020-01-01T02:45,4\n"
     "2020-01-01T04:00,5\n2020-01-01T05:00,6\n",
     "", XF_EDATA,
     "t.csv:2: irregular time steps in series 'x': the usual step is 1h but the spacing breaks "
     "at line 5, 6 (2 places); give --freq, or fix the file",
     0},
    {"too sparse to infer",
     "date,x\n2020-01-01T00:00,1\n2020-01-01T00:01,2\n2020-01-01T00:02,3\n2020-01-01T00:30,4\n", "",
     XF_EDATA,
     "t.csv:2: series 'x' has 4 rows spread over more than twice as many steps of 1min: too "
     "sparse to infer the frequency; give --freq",
     0},
    {"a stray row among hourly rows is irregular, not a finer grid",
     "date,x\n2020-01-01T00:00,1\n2020-01-01T01:00,2\n2020-01-01T02:00,3\n2020-01-01T03:00,4\n"
     "2020-01-01T04:00,5\n2020-01-01T04:20,6\n2020-01-01T05:00,7\n",
     "", XF_EDATA,
     "t.csv:2: irregular time steps in series 'x': the usual step is 1h but the spacing breaks "
     "at line 7, 8 (2 places); give --freq, or fix the file",
     0},
    {"given frequency that does not fit",
     "date,x\n2020-01-01T00:00,1\n2020-01-01T01:00,2\n2020-01-01T01:30,3\n", "freq=1h", XF_EDATA,
     "t.csv:2:1: series 'x' does not follow frequency 1h: off the grid at line 4 (1 place)", 0},
    {"given frequency that fits with gaps", "date,x\n2020-01-01T00:00,1\n2020-01-01T02:00,2\n",
     "freq=1h", XF_OK, "x|1h|2020-01-01|1 nan 2", 0},
    /* ---- frequencies ------------------------------------------------- */
    {"business days with a holiday",
     "date,x\n2024-01-04,1\n2024-01-05,2\n2024-01-08,3\n2024-01-10,5\n", "", XF_OK,
     "x|B|2024-01-04|1 2 3 nan 5", 0},
    {"weekly on Mondays is W, not business days",
     "date,x\n2024-01-01,1\n2024-01-08,2\n2024-01-15,3\n", "", XF_OK, "x|W|2024-01-01|1 2 3", 0},
    {"monthly", "month,x\n2023-11,1\n2023-12,2\n2024-01,3\n2024-03,5\n", "", XF_OK,
     "x|M|2023-11-01|1 2 3 nan 5", 0},
    {"month ends", "date,x\n2024-01-31,1\n2024-02-29,2\n2024-03-31,3\n2024-04-30,4\n", "", XF_OK,
     "x|M|2024-01-31|1 2 3 4", 0},
    {"quarterly", "date,x\n2023-01-01,1\n2023-04-01,2\n2023-07-01,3\n2023-10-01,4\n", "", XF_OK,
     "x|Q|2023-01-01|1 2 3 4", 0},
    {"yearly", "year,x\n2019,1\n2020,2\n2021,3\n", "", XF_OK, "x|Y|2019-01-01|1 2 3", 0},
    {"half-hourly", "t,x\n2000-06-05T00:00:00Z,1\n2000-06-05T00:30:00Z,2\n2000-06-05T01:00:00Z,3\n",
     "time=t", XF_OK, "x|30min|2000-06-05|1 2 3", 0},
    {"seconds with fractions",
     "time,x\n2020-01-01 00:00:00.5,1\n2020-01-01 00:00:01.0,2\n2020-01-01 00:00:01.5,3\n", "",
     XF_OK, "x|500ms|2020-01-01T00:00:00.5Z|1 2 3", 0},
    /* ---- time formats ------------------------------------------------ */
    {"UTC offsets are converted",
     "date,x\n2020-01-01T02:00:00+02:00,1\n2020-01-01T01:00:00Z,2\n2020-01-01T03:00:00+01:00,3\n",
     "", XF_OK, "x|1h|2020-01-01|1 2 3", 0},
    {"epoch seconds", "timestamp,x\n1577836800,1\n1577840400,2\n", "", XF_OK, "x|1h|2020-01-01|1 2",
     0},
    {"epoch milliseconds", "timestamp,x\n1577836800000,1\n1577836860000,2\n", "", XF_OK,
     "x|1min|2020-01-01|1 2", 0},
    {"strptime format", "when,x\n01/02/2020 10:00,1\n02/02/2020 10:00,2\n",
     "time=when;fmt=%d/%m/%Y %H:%M", XF_OK, "x|D|2020-02-01T10:00:00Z|1 2", 0},
    {"strptime mismatch", "when,x\n01/02/2020 10:00,1\n2020-02-02,2\n",
     "time=when;fmt=%d/%m/%Y %H:%M", XF_EPARSE,
     "t.csv:3:1: '2020-02-02' does not match time format '%d/%m/%Y %H:%M'", 0},
    /* ---- malformed input -------------------------------------------- */
    {"not a number", "date,x\n2020-01-01,1\n2020-01-02,abc\n2020-01-03,3\n", "", XF_EPARSE,
     "t.csv:3:2: 'abc' is not a number", 0},
    {"a column mostly of text is not a target",
     "date,x,y\n2020-01-01,1,a\n2020-01-02,2,3\n"
     "2020-01-03,3,c\n",
     "", XF_OK, "x|D|2020-01-01|1 2 3", 0},
    {"not finite", "date,x\n2020-01-01,1\n2020-01-02,1e999\n", "target=x", XF_EPARSE,
     "t.csv:3:2: '1e999' is not a finite number", 0},
    {"infinity text is not a number", "date,x\n2020-01-01,1\n2020-01-02,inf\n", "target=x",
     XF_EPARSE, "t.csv:3:2: 'inf' is not a number", 0},
    {"bad value after the sniffed rows", "date,x\n2020-01-01,1\n2020-01-02,2\n2020-01-03,x3\n",
     "sniff=1", XF_EPARSE, "t.csv:4:2: 'x3' is not a number", 0},
    {"too few fields", "date,x,y\n2020-01-01,1,2\n2020-01-02,3\n", "", XF_EPARSE,
     "t.csv:3: expected 3 fields as in the header, found 2", 0},
    {"too many fields", "date,x\n2020-01-01,1\n2020-01-02,3,4\n", "", XF_EPARSE,
     "t.csv:3: expected 2 fields as in the header, found 3", 0},
    {"impossible date", "date,x\n2023-02-28,1\n2023-02-29,2\n", "", XF_EPARSE,
     "t.csv:3:1: '2023-02-29' is not an ISO-8601 timestamp (or names an impossible date)", 0},
    {"missing timestamp", "date,x\n2020-01-01,1\n,2\n", "", XF_EPARSE,
     "t.csv:3:1: missing timestamp", 0},
    {"bad first timestamp", "date,x\nyesterday,1\n", "", XF_EPARSE,
     "t.csv:2:1: 'yesterday' is not a timestamp (ISO-8601 or epoch) or names an impossible date; "
     "give --time-format",
     0},
    {"quote inside an unquoted field", "date,x\n2020-01-01,1\"2\n", "", XF_EPARSE,
     "t.csv:2:2: malformed quoting in field '1' (a quote inside an unquoted field, or "
     "text after a closing quote)",
     0},
    {"text after a closing quote", "date,x\n2020-01-01,\"1\"2\n", "", XF_EPARSE,
     "t.csv:2:2: malformed quoting in field '1\"' (a quote inside an unquoted field, or "
     "text after a closing quote)",
     0},
    {"unterminated quote", "date,x\n2020-01-01,\"12\n", "", XF_EPARSE,
     "t.csv:3:2: unterminated quoted field at end of input", 0},
    {"NUL byte", "date,x\n2020-01-01,1\0002\n", "", XF_EPARSE,
     "t.csv:2:2: field contains a NUL byte", 0},
    {"empty input", "", "", XF_EPARSE, "t.csv: empty input: no header row", 0},
    {"only blank lines", "\n\n\r\n", "", XF_EPARSE, "t.csv: empty input: no header row", 0},
    {"header only", "date,x\n", "", XF_EDATA, "t.csv: no data rows after the header", 0},
    {"single column", "date\n2020-01-01\n", "", XF_EPARSE,
     "t.csv:1: the header has a single column; a time column and a value column are needed "
     "(give --delimiter if fields are not separated by , ; TAB or |)",
     0},
    {"no time column", "a,b\n1,2\n3,4\n", "", XF_ENOTFOUND,
     "t.csv:1: no time column found (none is named date/time/timestamp and none holds ISO-8601 "
     "dates); name it with --time-col",
     0},
    {"unknown target", "date,x\n2020-01-01,1\n", "target=y", XF_ENOTFOUND,
     "t.csv:1: target column 'y' not found (the header has 2 columns)", 0},
    {"target is the time column", "date,x\n2020-01-01,1\n", "target=date", XF_EINVAL,
     "t.csv:1: target column 'date' is the time column", 0},
    {"no numeric column", "date,w\n2020-01-01,rain\n", "", XF_ENOTFOUND,
     "t.csv:1: no numeric column besides the time column; name one with --target", 0},
    {"two targets with one name", "date,x,x\n2020-01-01,1,2\n", "", XF_EDATA,
     "t.csv:1: columns 2 and 3 are both named 'x'; rename one or choose with --target", 0},
    {"ambiguous column name", "date,x,x\n2020-01-01,1,2\n", "target=x", XF_EDATA,
     "t.csv:1: target column 'x' is ambiguous: several columns have that name; give its number "
     "instead",
     0},
    {"absurd span", "date,x\n2020-01-01T00:00:00,1\n2020-01-01T00:00:01,2\n2400-01-01T00:00:00,3\n",
     "freq=1s", XF_EDATA,
     "t.csv: series 'x' spans 11991628801 steps of 1s but has only 3 rows; check the timestamps "
     "and --freq (or raise --max-gap-fill)",
     0},
    {"given month frequency on month ends", "date,x\n2020-02-29,1\n2020-03-31,2\n2020-05-31,4\n",
     "freq=M", XF_OK, "x|M|2020-02-29|1 2 nan 4", 0},
    {"given business days, first row on a Saturday", "date,x\n2024-01-06,1\n2024-01-08,2\n",
     "freq=B", XF_EDATA,
     "t.csv:2:1: series 'x' does not follow frequency B: off the grid at line 2 (1 place)", 0},
    {"decimal comma: ';' chosen over ','", "date;x\n2020-01-01;1,5\n2020-01-02;2\n", "dec=,", XF_OK,
     "x|D|2020-01-01|1.5 2", 0},
    /* ---- hostile inputs (issue 12) ------------------------------------ */
    {"repeated names: the first target repeated later, and its next repeat",
     "date,b,a,b,a\n2020-01-01,1,2,3,4\n", "", XF_EDATA,
     "t.csv:1: columns 2 and 4 are both named 'b'; rename one or choose with --target", 0},
    {"a target list naming one column twice reads it once", "date,a,b\n2020-01-01,1,2\n",
     "target=b,a,b,3", XF_OK, "b|?|2020-01-01|2\na|?|2020-01-01|1", 0},
    {"a first line of data is not a header", "2020-01-01,1.5\n2020-01-02,2\n", "", XF_EPARSE,
     "t.csv:1: the first line looks like data, not a header: every field of '2020-01-01,1.5' is "
     "a number or a timestamp; add a header line naming the columns (such as date,value)",
     0},
    {"a headerless file of numbers, ';' and decimal comma", "1;2,5\n2;3\n", "dec=,", XF_EPARSE,
     "t.csv:1: the first line looks like data, not a header: every field of '1;2,5' is a number "
     "or a timestamp; add a header line naming the columns (such as date,value)",
     0},
    {"numbers as column names beside a text name are a header",
     "date,2019,2020\n2020-01-01,1,2\n2020-01-02,3,4\n", "", XF_OK,
     "2019|D|2020-01-01|1 3\n2020|D|2020-01-01|2 4", 0},
    {"gap filling over the per-file cap",
     "id,date,v\na,2020-01-01T00:00,1\na,2020-01-01T01:00,2\na,2020-01-01T02:00,2\n"
     "a,2020-01-01T05:00,2\nb,2020-01-01T00:00,3\nb,2020-01-01T01:00,4\nb,2020-01-01T02:00,4\n"
     "b,2020-01-01T05:00,4\n",
     "id=id;gapcap=3", XF_ERANGE,
     "t.csv: filling the gaps of the regular grids would add more than 3 values (4 for the "
     "first 2 series, at frequency 1h); check the timestamps (or give --freq), or raise "
     "--max-gap-fill",
     0},
    {"gap filling over the per-file cap, --freq given",
     "id,date,v\na,2020-01-01,1\na,2020-01-08,2\nb,2020-01-01,3\nb,2020-01-08,4\n",
     "id=id;freq=D;gapcap=11", XF_ERANGE,
     "t.csv: filling the gaps of the regular grids would add more than 11 values (12 for the "
     "first 2 series, at frequency D); check --freq, or raise --max-gap-fill",
     0},
    {"gap filling up to the per-file cap",
     "id,date,v\na,2020-01-01,1\na,2020-01-04,2\nb,2020-01-01,3\nb,2020-01-04,4\n",
     "id=id;freq=D;gapcap=4", XF_OK, "a|D|2020-01-01|1 nan nan 2\nb|D|2020-01-01|3 nan nan 4", 0},
    {"gap values count every value column", "date,a,b\n2020-01-01,1,2\n2020-01-04,3,4\n",
     "freq=D;gapcap=3", XF_ERANGE,
     "t.csv: filling the gaps of the regular grids would add more than 3 values (4 for the first "
     "2 series, at frequency D); check --freq, or raise --max-gap-fill",
     0},
    {"a span far beyond the rows, within a raised cap",
     "date,x\n2020-01-01T00:00:00,1\n2020-01-01T00:00:30,2\n", "freq=1s;gapcap=29", XF_OK,
     "x|1s|2020-01-01|1 nan nan nan nan nan nan nan nan nan nan nan nan nan nan nan nan nan nan "
     "nan "
     "nan nan nan nan nan nan nan nan nan nan 2",
     0},
    {"a span far beyond the rows names the cap",
     "date,x\n2020-01-01T00:00:00,1\n2020-01-01T00:00:30,2\n", "freq=1s;gapcap=5", XF_EDATA,
     "t.csv: series 'x' spans 31 steps of 1s but has only 2 rows; check the timestamps and --freq "
     "(or raise --max-gap-fill)",
     0},
};

/* ------------------------------------------------------------ helpers */

static void apply_opts(const char *spec, xf_csv_options *o, char *store, size_t n)
{
    char *p, *save = NULL, *tok;
    snprintf(store, n, "%s", spec);
    for (tok = strtok_r(store, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(tok, '=');
        const char *k = tok, *v;
        if (eq == NULL)
            continue;
        *eq = '\0';
        v = eq + 1;
        if (strcmp(k, "delim") == 0)
            o->delimiter = v[0];
        else if (strcmp(k, "dec") == 0)
            o->decimal = v[0];
        else if (strcmp(k, "time") == 0)
            o->time_col = v;
        else if (strcmp(k, "fmt") == 0)
            o->time_format = v;
        else if (strcmp(k, "target") == 0)
            o->targets = v;
        else if (strcmp(k, "id") == 0)
            o->id_col = v;
        else if (strcmp(k, "na") == 0)
            o->na_values = v;
        else if (strcmp(k, "freq") == 0)
            o->freq = v;
        else if (strcmp(k, "sniff") == 0)
            o->sniff_rows = (size_t)atoi(v);
        else if (strcmp(k, "gapcap") == 0)
            o->max_gap_fill = atoll(v);
        else if (strcmp(k, "gaps") == 0)
            o->gaps = strcmp(v, "error") == 0         ? XF_GAPS_ERROR
                      : strcmp(v, "interpolate") == 0 ? XF_GAPS_INTERPOLATE
                                                      : XF_GAPS_KEEP;
        else if (strcmp(k, "dups") == 0)
            o->duplicates = strcmp(v, "last") == 0   ? XF_DUPS_LAST
                            : strcmp(v, "mean") == 0 ? XF_DUPS_MEAN
                                                     : XF_DUPS_ERROR;
    }
    (void)p;
}

/* Render a dataset in the "id|freq|start|values" form of the table. */
static char *render(const xf_dataset *ds)
{
    size_t cap = 1 << 16, len = 0, i, k;
    char *out = malloc(cap);
    out[0] = '\0';
    for (i = 0; i < xf_dataset_n_series(ds); i++) {
        char f[32], t[64];
        size_t n = xf_dataset_series_length(ds, i);
        const double *v = xf_dataset_series_values(ds, i);
        xf_freq_format(xf_dataset_series_freq(ds, i), f, sizeof f);
        xf_time_format(xf_dataset_series_times(ds, i)[0], 1, t, sizeof t);
        len += (size_t)snprintf(out + len, cap - len, "%s%s|%s|%s|", i ? "\n" : "",
                                xf_dataset_series_id(ds, i), f, t);
        for (k = 0; k < n && len < cap - 64; k++) {
            if (isnan(v[k]))
                len += (size_t)snprintf(out + len, cap - len, "%snan", k ? " " : "");
            else
                len += (size_t)snprintf(out + len, cap - len, "%s%.17g", k ? " " : "", v[k]);
        }
    }
    return out;
}

/* Normalise the expected text through strtod so "1.5" compares with %.17g. */
static char *normalise_expect(const char *e)
{
    size_t cap = strlen(e) * 4 + 64, len = 0;
    char *out = malloc(cap);
    const char *p = e;
    while (*p) {
        const char *line_end = strchr(p, '\n');
        size_t ll = line_end ? (size_t)(line_end - p) : strlen(p);
        const char *bar = p;
        int bars = 0;
        while (bars < 3 && bar < p + ll) {
            if (*bar == '|')
                bars++;
            bar++;
        }
        memcpy(out + len, p, (size_t)(bar - p));
        len += (size_t)(bar - p);
        while (bar < p + ll) {
            char *end;
            double v;
            while (*bar == ' ')
                out[len++] = *bar++;
            if (strncmp(bar, "nan", 3) == 0) {
                memcpy(out + len, "nan", 3);
                len += 3;
                bar += 3;
                continue;
            }
            v = strtod(bar, &end);
            len += (size_t)snprintf(out + len, cap - len, "%.17g", v);
            bar = end;
        }
        p += ll;
        if (*p == '\n')
            out[len++] = *p++;
    }
    out[len] = '\0';
    return out;
}

static void run_case(const csv_case *c)
{
    size_t len = strlen(c->in), chunk;
    char *expect = c->code == XF_OK ? normalise_expect(c->expect) : NULL;
    /* the NUL-byte case holds an embedded NUL: measure it by hand */
    if (strcmp(c->name, "NUL byte") == 0)
        len = sizeof "date,x\n2020-01-01,1\0002\n" - 1;
    for (chunk = 1; chunk <= (len ? len : 1); chunk++) {
        xf_csv_options o;
        xf_csv_reader *r = NULL;
        xf_dataset *ds = NULL;
        xf_error err;
        char store[256];
        size_t off;
        int rc;
        xf_error_clear(&err);
        xf_csv_options_init(&o);
        apply_opts(c->opts, &o, store, sizeof store);
        rc = xf_csv_reader_new("t.csv", &o, &r, &err);
        CHECK_MSG(rc == XF_OK, "%s: reader_new: %s", c->name, err.message);
        if (rc != XF_OK)
            break;
        for (off = 0; off < len && rc == XF_OK; off += chunk)
            rc = xf_csv_reader_feed(r, c->in + off, len - off < chunk ? len - off : chunk, &err);
        if (rc == XF_OK)
            rc = xf_csv_reader_finish(r, &ds, &err);
        xf_csv_reader_free(r);
        CHECK_MSG(rc == c->code, "%s (chunk %zu): status %d (%s), expected %d", c->name, chunk, rc,
                  rc ? err.message : "ok", c->code);
        if (rc == XF_OK && c->code == XF_OK) {
            char *got = render(ds);
            CHECK_MSG(strcmp(got, expect) == 0, "%s (chunk %zu):\n got: %s\nwant: %s", c->name,
                      chunk, got, expect);
            CHECK_MSG((int)xf_dataset_n_notes(ds) == c->n_notes, "%s: %zu notes, expected %d",
                      c->name, xf_dataset_n_notes(ds), c->n_notes);
            free(got);
        } else if (rc != XF_OK && c->code != XF_OK) {
            CHECK_MSG(strcmp(err.message, c->expect) == 0, "%s (chunk %zu):\n got: %s\nwant: %s",
                      c->name, chunk, err.message, c->expect);
            CHECK_MSG(err.code == rc, "%s: err.code %d != %d", c->name, err.code, rc);
        }
        xf_dataset_free(ds);
        if (tu_failures > 20)
            break;
    }
    free(expect);
}

/* --------------------------------------------------------- other tests */

/* The detected id column is reported as such and the note says why. */
static void test_id_detected(void)
{
    const char *in = "date,who,v\n2020-01-01,north,1.5\n2020-01-01,south,7.25\n"
                     "2020-01-02,north,2.5\n2020-01-02,south,8.125\n2020-01-03,north,3.5\n";
    xf_csv_reader *r = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    xf_error_clear(&err);
    CHECK(xf_csv_reader_new("s.csv", NULL, &r, &err) == XF_OK);
    CHECK(xf_csv_reader_feed(r, in, strlen(in), &err) == XF_OK);
    CHECK(xf_csv_reader_finish(r, &ds, &err) == XF_OK);
    xf_csv_reader_free(r);
    if (ds == NULL)
        return;
    CHECK(xf_dataset_n_series(ds) == 2);
    CHECK(xf_dataset_column_role(ds, 0) == XF_COLUMN_TIME);
    CHECK(xf_dataset_column_role(ds, 1) == XF_COLUMN_ID);
    CHECK(xf_dataset_column_role(ds, 2) == XF_COLUMN_TARGET);
    CHECK(strcmp(xf_dataset_series_group(ds, 1), "south") == 0);
    CHECK(xf_dataset_n_notes(ds) == 1);
    if (xf_dataset_n_notes(ds) == 1)
        CHECK_MSG(strcmp(xf_dataset_note(ds, 0),
                         "s.csv: column 'who' read as the series id: it holds text, not numbers, "
                         "its values repeat, and with them the timestamps of the first 5 rows are "
                         "unique (2 series); give --id-col COL to choose another, or --id-col "
                         "none for one series") == 0,
                  "note: %s", xf_dataset_note(ds, 0));
    xf_dataset_free(ds);
}

static void test_stats_and_roles(void)
{
    const char *in = "date,name,x,y\n2024-01-04,a,1,NA\n2024-01-05,b,2,2\n2024-01-08,c,3,3\n"
                     "2024-01-10,d,,5\n2024-01-12,e,6,6\n";
    xf_csv_reader *r;
    xf_dataset *ds = NULL;
    xf_error err;
    const xf_series_stats *st;
    CHECK(xf_csv_reader_new("s.csv", NULL, &r, &err) == XF_OK);
    CHECK(xf_csv_reader_feed(r, in, strlen(in), &err) == XF_OK);
    CHECK(xf_csv_reader_finish(r, &ds, &err) == XF_OK);
    xf_csv_reader_free(r);
    if (ds == NULL)
        return;
    CHECK_INT(xf_dataset_n_rows(ds), 5);
    CHECK_INT(xf_dataset_n_series(ds), 2);
    CHECK_INT(xf_dataset_n_columns(ds), 4);
    CHECK_INT(xf_dataset_column_role(ds, 0), XF_COLUMN_TIME);
    CHECK_INT(xf_dataset_column_role(ds, 1), XF_COLUMN_IGNORED);
    CHECK_INT(xf_dataset_column_role(ds, 2), XF_COLUMN_TARGET);
    CHECK_STR(xf_dataset_time_column(ds), "date");
    CHECK_INT(xf_dataset_delimiter(ds), ',');
    CHECK_INT(xf_dataset_time_format(ds), XF_TIMEFMT_ISO);
    st = xf_dataset_series_stats(ds, 0);
    /* B grid Thu 4 .. Fri 12: 4,5,8,9,10,11,12 = 7 points, 2 gap runs (9; 11) */
    CHECK_INT(xf_dataset_series_length(ds, 0), 7);
    CHECK_INT(st->n_rows, 5);
    CHECK_INT(st->n_missing, 1);
    CHECK_INT(st->n_gaps, 2);
    CHECK_INT(st->n_gap_runs, 2);
    CHECK_INT(st->max_gap, 1);
    CHECK_INT(st->first_line, 2);
    CHECK_INT(xf_dataset_series_stats(ds, 1)->n_missing, 1);
    xf_dataset_free(ds);
}

static void test_files(void)
{
    char path[] = "/tmp/xf_test_csv_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp;
    xf_dataset *ds = NULL;
    xf_error err;
    size_t i;
    int rc;
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    fp = fdopen(fd, "w");
    fprintf(fp, "ts;meter;kwh\n");
    /* 3 meters x 2000 half-hours, rows in reverse time order */
    for (i = 2000; i-- > 0;) {
        int m;
        for (m = 0; m < 3; m++)
            fprintf(fp, "%lld;M%d;%d,%03d\n", 946684800LL + (long long)i * 1800, m, (int)i, m * 7);
    }
    fclose(fp);
    {
        xf_csv_options o;
        xf_csv_options_init(&o);
        o.decimal = ',';
        o.id_col = "meter";
        o.time_col = "ts";
        rc = xf_dataset_read_csv(path, &o, &ds, &err);
        CHECK_MSG(rc == XF_OK, "%s", err.message);
    }
    if (ds != NULL) {
        CHECK_INT(xf_dataset_n_series(ds), 3);
        CHECK_INT(xf_dataset_time_format(ds), XF_TIMEFMT_EPOCH_S);
        CHECK_INT(xf_dataset_n_notes(ds), 3);
        for (i = 0; i < 3; i++) {
            xf_freq f = xf_dataset_series_freq(ds, i);
            CHECK_INT(xf_dataset_series_length(ds, i), 2000);
            CHECK_INT(f.kind, XF_FREQ_FIXED);
            CHECK_INT(f.step, 1800 * XF_TIME_US_PER_SEC);
            CHECK_INT(xf_dataset_series_times(ds, i)[0], 946684800LL * XF_TIME_US_PER_SEC);
            CHECK_NEAR(xf_dataset_series_values(ds, i)[1999], 1999 + 0.007 * (double)i, 1e-12);
        }
        CHECK_STR(xf_dataset_series_id(ds, 2), "M2");
        xf_dataset_free(ds);
    }
    unlink(path);
    rc = xf_dataset_read_csv(path, NULL, &ds, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK(ds == NULL);
    CHECK(strstr(err.message, "cannot open") != NULL);
    CHECK(strstr(err.message, path) != NULL);
}

static void test_bad_options(void)
{
    xf_csv_options o;
    xf_csv_reader *r = NULL;
    xf_error err;
    xf_csv_options_init(&o);
    o.decimal = ';';
    CHECK_INT(xf_csv_reader_new("x", &o, &r, &err), XF_EINVAL);
    CHECK(r == NULL);
    xf_csv_options_init(&o);
    o.delimiter = ',';
    o.decimal = ',';
    CHECK_INT(xf_csv_reader_new("x", &o, &r, &err), XF_EINVAL);
    CHECK(strstr(err.message, "both ','") != NULL);
    xf_csv_options_init(&o);
    o.freq = "fortnightly";
    CHECK_INT(xf_csv_reader_new("x", &o, &r, &err), XF_EINVAL);
    CHECK(strstr(err.message, "fortnightly") != NULL);
    xf_csv_options_init(&o);
    o.time_format = "dd.mm.yyyy";
    CHECK_INT(xf_csv_reader_new("x", &o, &r, &err), XF_EINVAL);
    CHECK(strstr(err.message, "unknown time format 'dd.mm.yyyy'") != NULL);
    CHECK(r == NULL);
    /* a failed reader refuses more input */
    xf_csv_options_init(&o);
    CHECK_INT(xf_csv_reader_new("x", &o, &r, &err), XF_OK);
    CHECK_INT(xf_csv_reader_feed(r, "d,x\nabc,1\n", 10, &err), XF_OK);
    {
        xf_dataset *ds = NULL;
        int rc = xf_csv_reader_finish(r, &ds, &err);
        CHECK_INT(rc, XF_ENOTFOUND);
        CHECK(ds == NULL);
        rc = xf_csv_reader_finish(r, &ds, &err);
        CHECK_INT(rc, XF_EINVAL);
    }
    CHECK_INT(xf_csv_reader_feed(r, "x", 1, &err), XF_EINVAL);
    xf_csv_reader_free(r);
    xf_csv_reader_free(NULL);
    xf_dataset_free(NULL);
}

/* Read bytes (any, NULs included) fed at every chunk size from 1 to 9 and
 * whole; expect the status code and, on failure, the exact message. */
static void read_bytes(const char *what, const char *in, size_t len, int code, const char *msg)
{
    size_t chunk;
    for (chunk = 1; chunk <= 10; chunk++) {
        size_t step = chunk == 10 ? len : chunk, off;
        xf_csv_reader *r = NULL;
        xf_dataset *ds = NULL;
        xf_error err;
        int rc;
        xf_error_clear(&err);
        rc = xf_csv_reader_new("t.csv", NULL, &r, &err);
        for (off = 0; off < len && rc == XF_OK; off += step)
            rc = xf_csv_reader_feed(r, in + off, len - off < step ? len - off : step, &err);
        if (rc == XF_OK)
            rc = xf_csv_reader_finish(r, &ds, &err);
        CHECK_MSG(rc == code, "%s (chunk %zu): status %d (%s), expected %d", what, step, rc,
                  rc ? err.message : "ok", code);
        if (rc != XF_OK && msg != NULL)
            CHECK_MSG(strcmp(err.message, msg) == 0, "%s (chunk %zu):\n got: %s\nwant: %s", what,
                      step, err.message, msg);
        xf_dataset_free(ds);
        xf_csv_reader_free(r);
    }
}

/* UTF-16 and UTF-32 are named, with or without a byte order mark, instead
 * of "field contains a NUL byte"; UTF-8 (with its BOM) still reads. */
static void test_encodings(void)
{
    static const char u16le_bom[] = "\xFF\xFE"
                                    "d\0a\0t\0e\0,\0x\0\n\0"
                                    "2\0000\0002\0000\0-\0000\0001\0-\0000\0001\0,\0001\0\n\0";
    static const char u16be[] = "\0d\0a\0t\0e\0,\0x\0\n";
    static const char u16le[] = "d\0a\0t\0e\0,\0x\0\n\0";
    static const char u32le_bom[] = "\xFF\xFE\0\0d\0\0\0a\0\0\0";
    static const char u32be[] = "\0\0\0d\0\0\0a";
    static const char u16be_bom[] = "\xFE\xFF\0d";
    static const char utf8[] = "\xEF\xBB\xBF"
                               "date,x\n2020-01-01,1\n2020-01-02,2\n";
    read_bytes("UTF-16LE with BOM", u16le_bom, sizeof u16le_bom - 1, XF_EPARSE,
               "t.csv:1: file is UTF-16 (little-endian); convert it to UTF-8, e.g. iconv -f "
               "UTF-16 -t UTF-8 FILE > FILE-utf8.csv");
    read_bytes("UTF-16BE without BOM", u16be, sizeof u16be - 1, XF_EPARSE,
               "t.csv:1: file is UTF-16 (big-endian); convert it to UTF-8, e.g. iconv -f "
               "UTF-16BE -t UTF-8 FILE > FILE-utf8.csv");
    read_bytes("UTF-16LE without BOM", u16le, sizeof u16le - 1, XF_EPARSE,
               "t.csv:1: file is UTF-16 (little-endian); convert it to UTF-8, e.g. iconv -f "
               "UTF-16LE -t UTF-8 FILE > FILE-utf8.csv");
    read_bytes("UTF-16BE BOM, input of 4 bytes", u16be_bom, sizeof u16be_bom - 1, XF_EPARSE,
               "t.csv:1: file is UTF-16 (big-endian); convert it to UTF-8, e.g. iconv -f "
               "UTF-16 -t UTF-8 FILE > FILE-utf8.csv");
    read_bytes("UTF-16LE BOM alone", "\xFF\xFE", 2, XF_EPARSE,
               "t.csv:1: file is UTF-16 (little-endian); convert it to UTF-8, e.g. iconv -f "
               "UTF-16 -t UTF-8 FILE > FILE-utf8.csv");
    read_bytes("UTF-32LE with BOM", u32le_bom, sizeof u32le_bom - 1, XF_EPARSE,
               "t.csv:1: file is UTF-32 (little-endian); convert it to UTF-8, e.g. iconv -f "
               "UTF-32 -t UTF-8 FILE > FILE-utf8.csv");
    read_bytes("UTF-32BE without BOM", u32be, sizeof u32be - 1, XF_EPARSE,
               "t.csv:1: file is UTF-32 (big-endian); convert it to UTF-8, e.g. iconv -f "
               "UTF-32BE -t UTF-8 FILE > FILE-utf8.csv");
    read_bytes("UTF-8 with BOM", utf8, sizeof utf8 - 1, XF_OK, NULL);
    /* a NUL later in a UTF-8 file is still a NUL byte */
    read_bytes("NUL in UTF-8", "date,x\n2020-01-01,1\0002\n", 22, XF_EPARSE,
               "t.csv:2:2: field contains a NUL byte");
}

/* 200,000 columns: the header checks are n log n (they were quadratic: 97 s
 * for such a file).  Not timed (flaky): the bench times it
 * (bench/run_hostile.sh); here a repeated name at the far end is found and
 * named, a --target list of many names reads, and the file itself reads. */
static void test_wide_header(void)
{
    const size_t n = 200000;
    size_t cap = n * 12 + 64, len = 0, i;
    char *buf = malloc(cap), *targets = malloc(n * 8 + 1);
    xf_csv_options o;
    xf_dataset *ds = NULL;
    xf_csv_reader *r = NULL;
    xf_error err;
    int rc;
    if (buf == NULL || targets == NULL) {
        free(buf);
        free(targets);
        CHECK_MSG(0, "out of memory");
        return;
    }
    len += (size_t)snprintf(buf + len, cap - len, "date");
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len, ",c%zu", i);
    len += (size_t)snprintf(buf + len, cap - len, "\n2020-01-01");
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len, ",%zu", i % 10);
    buf[len++] = '\n';
    /* the whole file (a header over 1 MiB: the delimiter is given, not
     * detected from a buffered header line) */
    xf_csv_options_init(&o);
    o.delimiter = ',';
    rc = xf_csv_reader_new("t.csv", &o, &r, &err);
    if (rc == XF_OK)
        rc = xf_csv_reader_feed(r, buf, len, &err);
    if (rc == XF_OK)
        rc = xf_csv_reader_finish(r, &ds, &err);
    CHECK_MSG(rc == XF_OK, "200000 columns: %s", rc ? err.message : "");
    if (rc == XF_OK) {
        CHECK_INT(xf_dataset_n_series(ds), n);
        CHECK_STR(xf_dataset_series_id(ds, n - 1), "c199999");
        CHECK_INT(xf_dataset_column_role(ds, 0), XF_COLUMN_TIME);
        CHECK_INT(xf_dataset_column_role(ds, n), XF_COLUMN_TARGET);
    }
    xf_dataset_free(ds);
    ds = NULL;
    xf_csv_reader_free(r);
    /* a --target list naming every other column, backwards */
    for (i = 0, len = 0; i < n; i += 2)
        len += (size_t)snprintf(targets + len, n * 8 + 1 - len, "%sc%zu", i ? "," : "", n - 1 - i);
    o.targets = targets;
    rc = xf_csv_reader_new("t.csv", &o, &r, &err);
    if (rc == XF_OK)
        rc = xf_csv_reader_feed(r, buf, strlen(buf), &err);
    if (rc == XF_OK)
        rc = xf_csv_reader_finish(r, &ds, &err);
    CHECK_MSG(rc == XF_OK, "200000 columns, 100000 targets: %s", rc ? err.message : "");
    if (rc == XF_OK) {
        CHECK_INT(xf_dataset_n_series(ds), n / 2);
        CHECK_STR(xf_dataset_series_id(ds, 0), "c199999");
    }
    xf_dataset_free(ds);
    ds = NULL;
    xf_csv_reader_free(r);
    /* the last column renamed to the third's name ("c2"): named as such */
    {
        char *last = strstr(buf, ",c199999\n");
        memcpy(last, ",c2     ", 8); /* trailing blanks are trimmed from names */
        o.targets = NULL;
        rc = xf_csv_reader_new("t.csv", &o, &r, &err);
        if (rc == XF_OK)
            rc = xf_csv_reader_feed(r, buf, strlen(buf), &err);
        if (rc == XF_OK)
            rc = xf_csv_reader_finish(r, &ds, &err);
        CHECK_INT(rc, XF_EDATA);
        CHECK_STR(err.message, "t.csv:1: columns 4 and 200001 are both named 'c2'; rename one or "
                               "choose with --target");
        xf_dataset_free(ds);
        xf_csv_reader_free(r);
    }
    free(buf);
    free(targets);
}

int main(void)
{
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
    test_stats_and_roles();
    test_id_detected();
    test_files();
    test_bad_options();
    test_encodings();
    test_wide_header();
    return tu_report("test_csv");
}
