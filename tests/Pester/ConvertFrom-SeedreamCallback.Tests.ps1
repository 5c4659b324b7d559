# ConvertFrom-SeedreamCallback: the body a gateway posts becomes a task.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 200
}

AfterAll { Stop-TestSession $sim }

Describe 'ConvertFrom-SeedreamCallback' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 200 }
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
    }

    It 'turns a callback body into a task whose images save' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $body = (Invoke-WebRequest -Uri "$($sim.EvoLinkUri)/v1/tasks/$($task.Id)" -Headers @{ Authorization = "Bearer $($sim.ApiKey)" }).Content
        $fromCallback = $body | ConvertFrom-SeedreamCallback
        $fromCallback.Id | Should -Be $task.Id
        $fromCallback.Status | Should -Be 'Succeeded'
        ($fromCallback | Save-SeedreamImage -Path (New-TestFolder)).Count | Should -Be 1
        '{"hello":1}' | ConvertFrom-SeedreamCallback -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidCallbackBody*'
    }
}
