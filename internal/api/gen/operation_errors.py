#!/usr/bin/env python3
"""Writes the error codes the CloudFront 2020-05-31 service model lists for
the distribution operations openfront implements, as JSON, for the tests
that hold validation to them (internal/cloudfront/testdata/).

Usage: gen/operation_errors.py MODEL.json[.gz] > operation-errors-2020.json
"""
import gzip, json, sys

OPERATIONS = ["CreateDistribution", "CreateDistributionWithTags", "UpdateDistribution",
              "TagResource", "UntagResource", "ListTagsForResource"]

path = sys.argv[1]
opener = gzip.open if path.endswith(".gz") else open
with opener(path, "rt") as f:
    model = json.load(f)
out = {op: sorted(e["shape"] for e in model["operations"][op].get("errors", [])) for op in OPERATIONS}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
