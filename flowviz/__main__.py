from flowviz.cli import main

main()
