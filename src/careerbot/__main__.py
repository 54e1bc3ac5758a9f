from careerbot.cli import cli

cli()
