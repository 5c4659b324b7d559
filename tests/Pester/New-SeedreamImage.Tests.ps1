# New-SeedreamImage against a simulator in its own process: prompts, records, validation, -WhatIf, ModelArk, batches.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 300
}

AfterAll { Stop-TestSession $sim }

Describe 'New-SeedreamImage' {
    BeforeEach {
        Reset-Sim $sim
        Connect-TestGateway
    }

    It 'submits a prompt and outputs a task' {
        $task = New-SeedreamImage -Prompt 'a fox in the snow' -Size 16:9 -Quality 2K
        $task | Should -BeOfType ([SeedreamPS.Core.Tasks.SeedreamTask])
        $task.Status | Should -BeIn @('Pending', 'Running')
        $task.Model | Should -Be 'doubao-seedream-4.0'
        Get-SimCounter $sim 'evolink.create' | Should -Be 1
    }

    It 'takes strings from the pipeline as prompts' {
        $tasks = 'one', 'two' | New-SeedreamImage
        $tasks.Count | Should -Be 2
        # Tasks come out in the order their creation completes.
        ($tasks.Request.Prompt | Sort-Object) | Should -Be @('one', 'two')
    }

    It 'waits with -Wait and outputs finished tasks' {
        $task = New-SeedreamImage -Prompt 'a fox' -Count 2 -Wait -TimeoutSec 30
        $task.Status | Should -Be 'Succeeded'
        $task.Images.Count | Should -Be 2
    }

    It 'rejects <Name> at the attribute, before anything is sent' -ForEach @(
        @{ Name = 'Count 0'; Bad = @{ Count = 0 } }
        @{ Name = 'Count 16'; Bad = @{ Count = 16 } }
        @{ Name = 'Quality 5K'; Bad = @{ Quality = '5K' } }
        @{ Name = 'Size 1:20'; Bad = @{ Size = '1:20' } }
        @{ Name = 'Size 100x100'; Bad = @{ Size = '100x100' } }
        @{ Name = 'Size 5000x5000'; Bad = @{ Size = '5000x5000' } }
        @{ Name = 'Size widescreen'; Bad = @{ Size = 'widescreen' } }
        @{ Name = 'an http callback'; Bad = @{ CallbackUri = 'http://example.com/cb' } }
        @{ Name = 'a loopback callback'; Bad = @{ CallbackUri = 'https://127.0.0.1/cb' } }
        @{ Name = 'a private callback'; Bad = @{ CallbackUri = 'https://192.168.1.10/cb' } }
        @{ Name = 'PromptPriority turbo'; Bad = @{ PromptPriority = 'turbo' } }
        @{ Name = '15 reference images'; Bad = @{ ReferenceImage = @(1..15 | ForEach-Object { "https://example.com/$_.png" }) } }
        @{ Name = 'an empty prompt'; Bad = @{ Prompt = '' } }
    ) {
        $splat = @{ Prompt = 'p' }
        foreach ($key in $Bad.Keys) { $splat[$key] = $Bad[$key] }
        { New-SeedreamImage @splat } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'stops on a model rule with a message that names the parameter and the rule' {
        { New-SeedreamImage -Prompt 'p' -Model doubao-seedream-4.5 -Quality 1K } |
            Should -Throw "*Quality '1K' is not supported by doubao-seedream-4.5; use 2K or 4K.*"
        { New-SeedreamImage -Prompt 'p' -Count 10 -ReferenceImage @(1..6 | ForEach-Object { "https://example.com/$_.png" }) } |
            Should -Throw '*references plus images may be at most 15*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'sends nothing with -WhatIf and reports the estimated cost' {
        $information = New-SeedreamImage -Prompt 'p' -Model 4.5 -Count 3 -WhatIf 6>&1
        ($information | Out-String) | Should -Match 'In total 3 image\(s\), estimated \$0\.093'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'sends nothing with -WhatIf for a whole CSV batch' {
        $rows = @(
            [pscustomobject]@{ Name = 'a'; Prompt = 'one'; Count = '2' }
            [pscustomobject]@{ Name = 'b'; Prompt = 'two'; Count = '1' }
        )
        $information = $rows | New-SeedreamImage -WhatIf 6>&1
        ($information | Out-String) | Should -Match 'In total 3 image\(s\), estimated \$0\.057'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'reports a record without a Prompt property and goes on' {
        $rows = @([pscustomobject]@{ Title = 'no prompt here' }, [pscustomobject]@{ Prompt = 'fine' })
        $tasks = $rows | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        @($tasks).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -Match 'no Prompt property'
    }
}

Describe 'ModelArk' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 100 }
        Connect-TestGateway -Gateway ModelArk
    }

    It 'answers with finished tasks that save through the same chain' {
        $out = New-TestFolder
        $rows = @(
            [pscustomobject]@{ Name = 'square'; Prompt = 'a red square'; Size = '2048x2048'; Count = '2' }
            [pscustomobject]@{ Name = 'wide'; Prompt = 'a wide field'; Size = '16:9'; Quality = '2K' }
        )
        $tasks = $rows | New-SeedreamImage -NoWatermark
        $tasks | ForEach-Object { $_.Status | Should -Be 'Succeeded'; $_.Gateway | Should -Be 'ModelArk' }
        # ModelArk answers JPEG: {Ext} names each file by its format.
        $files = $tasks | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}{Ext}'
        ($files.Name | Sort-Object) | Should -Be @('square-0.jpeg', 'square-1.jpeg', 'wide-0.jpeg')
        Get-SimCounter $sim 'modelark.create' | Should -Be 2
    }

    It 'refuses Get-SeedreamTask, since there is nothing to query' {
        Get-SeedreamTask -Id 'ark-1-abc' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].Exception.Message | Should -Match 'synchronously'
    }

    It 'runs Seedream 5.0 with its own tiers' {
        (New-SeedreamImage -Prompt 'p' -Model 5.0 -Quality 3K).Model | Should -Be 'seedream-5-0-260128'
        { New-SeedreamImage -Prompt 'p' -Model 5.0 -Quality 1K } | Should -Throw "*Quality '1K' is not supported by seedream-5-0-260128*"
    }
}

Describe 'Batches' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 300 }
        Connect-TestGateway
    }

    It 'submits every record with -ThrottleLimit and carries each row on its own task' {
        $rows = 1..12 | ForEach-Object { [pscustomobject]@{ Name = "row$_"; Prompt = "prompt $_" } }
        $tasks = $rows | New-SeedreamImage -ThrottleLimit 4
        $tasks.Count | Should -Be 12
        ($tasks | ForEach-Object { $_.Context['Name'] } | Sort-Object) | Should -Be ($rows.Name | Sort-Object)
        foreach ($task in $tasks) { $task.Request.Prompt | Should -Be ('prompt ' + $task.Context['Name'].Substring(3)) }
        Get-SimCounter $sim 'evolink.create' | Should -Be 12
    }

    It 'waits for and saves a 20-row batch with one file per row' {
        $out = New-TestFolder
        $files = 1..20 | ForEach-Object { [pscustomobject]@{ Name = "n$_"; Prompt = "p$_" } } |
            New-SeedreamImage -Wait | Save-SeedreamImage -Path $out -FileName '{Name}.png' -ThrottleLimit 4
        $files.Count | Should -Be 20
        (Get-ChildItem $out).Count | Should -Be 20
    }
}
