from bioplan.cli import main

raise SystemExit(main())
