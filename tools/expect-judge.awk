# Judge oom_robust_futex TAP output against the expectation table (see
# tools/expect.sh judge). Inputs: the table rows (first file: "base variant
# case expect reason..."), then the TAP text. Variables: base, variant,
# status (guest status, "done" if it finished), splat (yes|no), suite.
# POSIX awk (mawk): no capture groups.

function trim_reason(s) {
	sub(/^[[:space:]]*[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]*/, "", s)
	return s
}
# The first "A/B" in s, as A (sets NUM_B).
function frac(s,    t, p) {
	if (!match(s, /[0-9]+\/[0-9]+/)) { NUM_B = -1; return -1 }
	t = substr(s, RSTART, RLENGTH); split(t, p, "/"); NUM_B = p[2] + 0
	return p[1] + 0
}
function reset_block() { blk_lost = -1; blk_total = -1; blk_conc = 0; blk_conc_lost = 0; blk_inconc = 0; blk_why = "" }

FNR == NR {
	if ($1 == base && $2 == variant) {
		ncases++; order[ncases] = $3; want[$3] = $4; why[$3] = trim_reason($0)
		# A skip cell names the SKIP message it accepts: "..." in its reason.
		skippat[$3] = ""
		if (match(why[$3], /"[^"]+"/)) skippat[$3] = substr(why[$3], RSTART + 1, RLENGTH - 2)
	}
	next
}

FNR == 1 { reset_block() }
{ sub(/\r$/, "") }

# "#  RUN           oom_robust_futex.CASE.TEST ..." starts a case's block.
$0 ~ ("^(# )?#  RUN +" suite "\\.") { reset_block(); next }

# Result line of one case: "ok N suite.CASE.TEST", "not ok ...", "ok ... # SKIP why".
$0 ~ ("^(# )?(not )?ok [0-9]+ " suite "\\.[A-Za-z0-9_]+") {
	line = $0; sub(/^# /, "", line)
	res = (line ~ /^not ok/) ? "fail" : "pass"
	skipwhy = ""
	if (res == "pass" && match(line, /# [Ss][Kk][Ii][Pp]/)) {
		res = "skip"; skipwhy = substr(line, RSTART + RLENGTH); sub(/^[[:space:]]*/, "", skipwhy)
	}
	name = line; sub("^(not )?ok [0-9]+ " suite "\\.", "", name); sub(/[^A-Za-z0-9_].*$/, "", name)
	nseen[name]++
	if (!(name in first)) { first[name] = ++nnames; names[nnames] = name }
	# A case reported more than once (e.g. two runners): every report counts.
	k = nseen[name]
	R[name, k] = res; RS_[name, k] = skipwhy; RL[name, k] = blk_lost; RT[name, k] = blk_total
	RC[name, k] = blk_conc; RCL[name, k] = blk_conc_lost; RI[name, k] = blk_inconc; RW[name, k] = blk_why
	reset_block()
	next
}

# "# lost: X/Y mutexes never handed over" (the last one of a case counts).
/lost: [0-9]+\/[0-9]+ mutexes never handed over/ {
	s = $0; sub(/.*lost: /, "", s); blk_lost = frac(s); blk_total = NUM_B; next
}

# "# attempt N: lost X/Y, mem_back_ms M|-, verdict conclusive|inconclusive(why)"
/attempt [0-9]+: lost [0-9]+\/[0-9]+,.*verdict (conclusive|inconclusive)/ {
	s = $0; sub(/.*attempt [0-9]+: lost /, "", s); x = frac(s)
	if ($0 ~ /verdict conclusive/) { blk_conc++; if (x > 0) blk_conc_lost++ }
	else {
		blk_inconc++
		if (blk_why == "") { w = $0; sub(/.*verdict inconclusive/, "", w); blk_why = w }
	}
	next
}

function seen_text(c, k,    t) {
	t = R[c, k] == "pass" ? "ok" : R[c, k] == "fail" ? "not ok" : "SKIP"
	if (R[c, k] == "skip" && RS_[c, k] != "") t = t " (" RS_[c, k] ")"
	if (RL[c, k] >= 0) t = t ", lost " RL[c, k] "/" RT[c, k]
	else if (R[c, k] != "skip") t = t ", no lost line"
	if (RC[c, k] + RI[c, k] > 0) {
		t = t ", " RC[c, k] " conclusive attempt(s)"
		if (RI[c, k]) t = t ", " RI[c, k] " inconclusive" RW[c, k]
	}
	return t
}

# Is report k of case c what expectation e asks for? Sets WHY_NOT.
function satisfies(c, k, e) {
	WHY_NOT = ""
	if (e == "any") return 1
	if (e == "skip") {
		if (R[c, k] != "skip") { WHY_NOT = "expected skip"; return 0 }
		if (skippat[c] != "" && !index(RS_[c, k], skippat[c])) {
			WHY_NOT = "SKIP for another reason (the table accepts \"" skippat[c] "\")"
			return 0
		}
		return 1
	}
	if (R[c, k] == "skip") {
		WHY_NOT = (RS_[c, k] ~ /^inconclusive/) ? "inconclusive SKIP proves nothing" : "a SKIP proves nothing"
		return 0
	}
	if (e == "pass") {
		if (R[c, k] != "pass") { WHY_NOT = "expected pass"; return 0 }
		if (RL[c, k] < 0) { WHY_NOT = "ok without a lost: line (no evidence)"; return 0 }
		if (RL[c, k] > 0) { WHY_NOT = "ok but mutexes were lost"; return 0 }
		if (RC[c, k] == 0) { WHY_NOT = "no conclusive attempt (no evidence)"; return 0 }
		if (RCL[c, k] > 0) { WHY_NOT = "a conclusive attempt lost mutexes"; return 0 }
		return 1
	}
	if (e == "fail-lost") {
		if (R[c, k] != "fail") { WHY_NOT = "expected not ok with lost mutexes"; return 0 }
		if (RL[c, k] < 0) { WHY_NOT = "not ok without a lost line (crash, timeout or setup error?)"; return 0 }
		if (RL[c, k] == 0) { WHY_NOT = "not ok but no mutex lost"; return 0 }
		if (RC[c, k] + RI[c, k] > 0 && RCL[c, k] == 0) { WHY_NOT = "mutexes lost only in inconclusive attempts"; return 0 }
		return 1
	}
	WHY_NOT = "unknown expectation '" e "'"
	return 0
}

END {
	nok = 0; ntot = 0; lx = 0; ly = 0; sp = 0; sf = 0; ss = 0; sm = 0
	for (i = 1; i <= ncases; i++) {
		c = order[i]; e = want[c]; ntot++
		ok = 1; msg = ""
		if (!(c in nseen)) {
			sm++
			if (e == "skip" && status == "done") msg = "absent (" e ": " why[c] ")"
			else { ok = 0; msg = "expected " e ", got no result (missing: crash, timeout or not run)" }
		} else {
			for (k = 1; k <= nseen[c]; k++) {
				if (R[c, k] == "pass") sp++; else if (R[c, k] == "fail") sf++; else ss++
				if (RL[c, k] > 0) lx += RL[c, k]
				if (RT[c, k] > 0) ly += RT[c, k]
				if (!satisfies(c, k, e)) { ok = 0; msg = msg (msg ? "; " : "") "expected " e ", got " seen_text(c, k) ": " WHY_NOT }
				else if (ok) msg = msg (msg ? "; " : "") e ": " seen_text(c, k) (why[c] != "" ? " (" why[c] ")" : "")
			}
		}
		if (status != "done") { ok = 0; msg = "guest " status "; " msg }
		if (splat == "yes") { ok = 0; msg = "kernel splat in this boot; " msg }
		if (ok) nok++
		printf "%s %d - %s: %s\n", ok ? "ok" : "not ok", i, c, msg
	}
	# Cases the table does not know are a table to update, never ignored.
	for (j = 1; j <= nnames; j++) {
		c = names[j]
		if (c in want) continue
		ntot++
		printf "not ok %d - %s: not in the expectation table for %s/%s (got %s)\n", ntot, c, base, variant, seen_text(c, 1)
	}
	printf "CELLS: ok=%d total=%d lost=%d/%d seen=pass:%d,fail:%d,skip:%d,missing:%d\n", nok, ntot, lx, ly, sp, sf, ss, sm
	exit nok == ntot && ntot > 0 ? 0 : 1
}
