import os, sys
failures = []
def check(what, ok, detail=""):
    print("SUBMIT-CHECK-PY", "OK" if ok else "FAIL", what, detail)
    if not ok:
        failures.append(what)
try:
    import helper
    check("import helper from --py-files helper.py", helper.greet() == "helper-ok")
except Exception as e:
    check("import helper from --py-files helper.py", False, repr(e))
try:
    import deppkg
    check("import deppkg from --py-files deps.zip", deppkg.VALUE == "deppkg-ok")
except Exception as e:
    check("import deppkg from --py-files deps.zip", False, repr(e))
for name, expected in [("my settings.txt", "settings for the job"), ("env/marker.txt", "marker-ok")]:
    try:
        with open(name) as f:
            check("./" + name + " in the driver's working directory", f.read().strip() == expected)
    except Exception as e:
        check("./" + name + " in the driver's working directory", False, repr(e))
check("PYSPARK_PYTHON set", os.environ.get("PYSPARK_PYTHON") == "/usr/bin/python3", os.environ.get("PYSPARK_PYTHON"))
check("argv", sys.argv[1:] == ["a b", "c"], repr(sys.argv[1:]))
print("SUBMIT-CHECK-PY-RESULT", "PASS" if not failures else "FAIL " + ",".join(failures))
sys.exit(1 if failures else 0)
