# Get-SeedreamUsage: images and spend read from the journal of tasks made through a simulator.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
}

AfterAll { Stop-TestSession $sim }

Describe 'Get-SeedreamUsage' {
    It 'reports images and spend per gateway, model, day or column as objects that sort and export' {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
        try {
            @(
                [pscustomobject]@{ Prompt = 'a'; Campaign = 'spring'; Count = '2' }
                [pscustomobject]@{ Prompt = 'b'; Campaign = 'brand' }
            ) | New-SeedreamImage | Out-Null
            $byCampaign = Get-SeedreamUsage -GroupBy Campaign | Sort-Object CostUsd -Descending
            $byCampaign[0].Group | Should -Be 'spring'
            $byCampaign[0].ImagesRequested | Should -Be 2
            $byCampaign[0].CostUsd | Should -Be 0.038
            $byCampaign[0].Basis | Should -Be 'estimated'
            (Get-SeedreamUsage -GroupBy Gateway).Tasks | Should -Be 2
            $csv = Join-Path (New-TestFolder) 'usage.csv'
            Get-SeedreamUsage | Export-Csv -Path $csv -NoTypeInformation
            (Import-Csv $csv)[0].Tasks | Should -Be '2'
        }
        finally {
            Connect-TestGateway -JournalPath $env:SEEDREAM_JOURNAL_PATH
        }
    }
}
